import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { openApiDocument } from '../src';
import { collectExamples } from './collect-examples';

/** The gateway validates with ajv too, so an example ajv rejects would mislead every reader of the docs. */
function createValidator() {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema(openApiDocument as object, 'openapi');
  return ajv;
}

describe('the examples in openapi.yaml', () => {
  const ajv = createValidator();
  const examples = collectExamples(openApiDocument);

  it('covers the request and response bodies of the main operations', () => {
    const places = examples.map((example) => example.where);
    expect(places).toEqual(
      expect.arrayContaining([
        'POST /instances request application/json',
        'POST /instances 201 application/json example creating_instance',
        'POST /instance-builds request application/json',
        'GET /images 200 application/json',
      ]),
    );
  });

  it('rejects a value that breaks the schema, so a passing example means something', () => {
    const validate = ajv.compile({ $ref: 'openapi#/components/schemas/Instance' });
    expect(validate({ id: 'not-a-uuid', state: 'exploded' })).toBe(false);
  });

  it.each(examples.map((example) => [example.where, example] as const))('%s satisfies its schema', (_where, example) => {
    // Inline schemas point into the document with local references; anchor them to the added document.
    const anchored = JSON.parse(JSON.stringify(example.schema).replaceAll('"#/components/', '"openapi#/components/')) as object;
    const validate = ajv.compile(anchored);
    const valid = validate(example.value);
    expect(valid ? [] : validate.errors).toEqual([]);
  });
});

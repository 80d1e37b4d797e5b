import { createSchemaValidator, openApiDocument } from '../src';
import { collectExamples } from './collect-examples';

/** The gateway validates with ajv too, so an example ajv rejects would mislead every reader of the docs. */
describe('the examples in openapi.yaml', () => {
  const checkerFor = createSchemaValidator(openApiDocument);
  const examples = collectExamples(openApiDocument);

  it('covers the request and response bodies of the main operations', () => {
    const places = examples.map((example) => example.where);
    expect(places).toEqual(
      expect.arrayContaining([
        'POST /instances request application/json',
        'POST /instances 200 application/json example creating_instance',
        'POST /instance-builds request application/json',
        'GET /images 200 application/json',
      ]),
    );
  });

  it('rejects a value that breaks the schema, so a passing example means something', () => {
    const problems = checkerFor({ $ref: '#/components/schemas/Instance' })({ id: 'not-a-uuid', state: 'exploded' });
    expect(problems).toEqual(
      expect.arrayContaining(["(body) must have required property 'provider'", '/id must match format "uuid"']),
    );
  });

  it.each(examples.map((example) => [example.where, example] as const))(
    '%s satisfies its schema',
    (_where, example) => {
      expect(checkerFor(example.schema)(example.value)).toEqual([]);
    },
  );
});

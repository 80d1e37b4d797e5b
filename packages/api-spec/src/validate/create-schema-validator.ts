import Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { OpenApiDocument, ReferenceObject, SchemaObject } from '../openapi-document';

export type SchemaCheck = (value: unknown) => string[];

/**
 * Compiles the document's schemas with ajv (JSON Schema 2020-12, which OpenAPI 3.1 uses) and answers
 * a list of readable problems, empty when the value conforms.
 */
export function createSchemaValidator(
  document: OpenApiDocument,
): (schema: SchemaObject | ReferenceObject) => SchemaCheck {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema(document as object, 'openapi');
  const cache = new Map<string, ValidateFunction>();
  return (schema) => {
    // Local references point into the document; anchor them to the copy ajv holds.
    const anchored = JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/');
    let validate = cache.get(anchored);
    if (validate === undefined) {
      validate = ajv.compile(JSON.parse(anchored) as object);
      cache.set(anchored, validate);
    }
    const check = validate;
    return (value) =>
      check(value)
        ? []
        : (check.errors ?? []).map((error) => `${error.instancePath || '(body)'} ${error.message ?? 'is invalid'}`);
  };
}

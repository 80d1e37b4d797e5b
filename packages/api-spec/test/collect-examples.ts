import type {
  ExampleObject,
  MediaTypeObject,
  OpenApiDocument,
  ParameterObject,
  RequestBodyObject,
  ResponseObject,
  SchemaObject,
  ReferenceObject,
} from '../src';
import { listOperations } from '../src';
import { dereference } from '../src/walk-document';

export interface DocumentedExample {
  where: string;
  schema: SchemaObject | ReferenceObject;
  value: unknown;
}

function examplesOfMedia(document: OpenApiDocument, where: string, media: MediaTypeObject): DocumentedExample[] {
  if (media.schema === undefined) return [];
  const schema = media.schema;
  const found: DocumentedExample[] = [];
  if (media.example !== undefined) found.push({ where, schema, value: media.example });
  for (const [name, example] of Object.entries(media.examples ?? {})) {
    found.push({
      where: `${where} example ${name}`,
      schema,
      value: dereference<ExampleObject>(document, example).value,
    });
  }
  return found;
}

/** Every example the document shows a reader, paired with the schema it claims to satisfy. */
export function collectExamples(document: OpenApiDocument): DocumentedExample[] {
  const found: DocumentedExample[] = [];
  for (const { method, path, operation, parameters } of listOperations(document)) {
    const at = `${method.toUpperCase()} ${path}`;
    for (const parameterOrReference of parameters) {
      const parameter = dereference<ParameterObject>(document, parameterOrReference);
      if (parameter.example !== undefined && parameter.schema) {
        found.push({ where: `${at} parameter ${parameter.name}`, schema: parameter.schema, value: parameter.example });
      }
    }
    if (operation.requestBody) {
      const body = dereference<RequestBodyObject>(document, operation.requestBody);
      for (const [type, media] of Object.entries(body.content)) {
        found.push(...examplesOfMedia(document, `${at} request ${type}`, media));
      }
    }
    for (const [status, responseOrReference] of Object.entries(operation.responses ?? {})) {
      const response = dereference<ResponseObject>(document, responseOrReference);
      for (const [type, media] of Object.entries(response.content ?? {})) {
        found.push(...examplesOfMedia(document, `${at} ${status} ${type}`, media));
      }
    }
  }
  return found;
}

import type { MediaTypeObject, OpenApiDocument, ReferenceObject, SchemaObject } from '../openapi-document';
import { dereference } from '../walk-document';

/** How deep a made-up example follows nested schemas before it stops (recursive schemas end there). */
const deepestLevel = 6;

/** The body a sample sends: the media type's own example, else its first named one, else one made from its schema. */
export function exampleForMedia(media: MediaTypeObject, document: OpenApiDocument): unknown {
  if (media.example !== undefined) return media.example;
  const firstNamed = Object.values(media.examples ?? {})[0];
  if (firstNamed !== undefined) {
    const example = dereference(document, firstNamed);
    if (example.value !== undefined) return example.value;
  }
  return media.schema === undefined ? undefined : exampleForSchema(media.schema, document);
}

/** A value the schema accepts, preferring what the spec itself says (default, enum, const) over a placeholder. */
export function exampleForSchema(
  schemaOrReference: SchemaObject | ReferenceObject,
  document: OpenApiDocument,
  level = 0,
): unknown {
  const schema = dereference<SchemaObject>(document, schemaOrReference);
  const stated = schema as SchemaObject & { example?: unknown; examples?: unknown[] };
  if (stated.example !== undefined) return stated.example;
  if (stated.examples?.[0] !== undefined) return stated.examples[0];
  if (schema.const !== undefined) return schema.const;
  if (schema.default !== undefined) return schema.default;
  if (schema.enum?.[0] !== undefined) return schema.enum[0];
  const variant = schema.oneOf?.[0] ?? schema.anyOf?.[0];
  if (variant !== undefined) return exampleForSchema(variant, document, level + 1);
  if (schema.allOf !== undefined) {
    return Object.assign({}, ...schema.allOf.map((part) => exampleForSchema(part, document, level + 1)));
  }
  const type = Array.isArray(schema.type) ? schema.type.find((name) => name !== 'null') : schema.type;
  switch (type) {
    case 'object':
      return level >= deepestLevel ? {} : exampleObject(schema, document, level);
    case 'array':
      return level >= deepestLevel || schema.items === undefined
        ? []
        : [exampleForSchema(schema.items, document, level + 1)];
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'string':
      return exampleString(schema);
    default:
      return schema.properties === undefined ? null : exampleObject(schema, document, level);
  }
}

/** The required members only (all of them when none is required): what a first call needs. */
function exampleObject(schema: SchemaObject, document: OpenApiDocument, level: number): Record<string, unknown> {
  const properties = Object.entries(schema.properties ?? {});
  const required = new Set(schema.required ?? properties.map(([name]) => name));
  return Object.fromEntries(
    properties
      .filter(([name]) => required.has(name))
      .map(([name, property]) => [name, exampleForSchema(property, document, level + 1)]),
  );
}

function exampleString(schema: SchemaObject): string {
  switch (schema.format) {
    case 'uuid':
      return '00000000-0000-4000-8000-000000000000';
    case 'date-time':
      return '2026-01-01T00:00:00Z';
    case 'date':
      return '2026-01-01';
    case 'uri':
      return 'https://example.com';
    case 'email':
      return 'user@example.com';
    default:
      return 'string';
  }
}

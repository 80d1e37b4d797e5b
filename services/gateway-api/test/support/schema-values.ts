import { dereference, type OpenApiDocument, type ReferenceObject, type SchemaObject } from '@overcast/api-spec';
import fc from 'fast-check';

/** Values to use for a property of this name instead of the schema's: what makes a request reach the broker's work. */
export type ValueHints = Record<string, fc.Arbitrary<unknown>>;

/** Strings a caller may send anywhere: what Postgres text cannot store, what looks like syntax, what is too long. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '\u0000',
      'a\u0000b',
      '\ud800',
      'x\udfff',
      'emoji \ud83d',
      '',
      ' ',
      '%00',
      '%zz',
      '../../etc/passwd',
      '\u202eevil',
      "'; DROP TABLE instances; --",
      '\u0001\u001f\u007f',
      '😀',
      'null',
      '-1',
      '1e309',
      '__proto__',
      '0d654ef4-75b9-49a6-9f90-f9b1ae3501fc\u0000',
    ),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 2, arbitrary: fc.string({ maxLength: 10 }).map((text) => `${text}\u0000${text}`) },
  // Over every maxLength, and over the 16 KB node allows for the URL and headers.
  { weight: 1, arbitrary: fc.constantFrom(256, 20_000).map((length) => 'x'.repeat(length)) },
);

function typesOf(schema: SchemaObject): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  if (schema.type !== undefined) return [schema.type];
  return schema.properties ? ['object'] : ['string'];
}

function stringOf(schema: SchemaObject): fc.Arbitrary<string> {
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((date) => date.toISOString());
  if (schema.pattern !== undefined) return fc.stringMatching(new RegExp(schema.pattern), { maxLength: 12 });
  const minLength = schema.minLength ?? 0;
  return fc.string({
    unit: 'grapheme-composite',
    minLength,
    maxLength: Math.min(schema.maxLength ?? 24, minLength + 24),
  });
}

/**
 * Values `schema` accepts (with `hints` for named properties): strings, numbers and booleans within their bounds,
 * enums, objects with every required property and any of the optional ones. For operations whose every field
 * must be right to get past validation, these are the requests that reach the handler and the broker.
 */
export function valuesOf(
  document: OpenApiDocument,
  schemaOrRef: SchemaObject | ReferenceObject,
  hints: ValueHints = {},
): fc.Arbitrary<unknown> {
  const schema = dereference(document, schemaOrRef);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
  const branches = schema.oneOf ?? schema.anyOf;
  if (branches) return fc.oneof(...branches.map((branch) => valuesOf(document, branch, hints)));
  if (schema.allOf) {
    return fc
      .tuple(...schema.allOf.map((part) => valuesOf(document, part, hints)))
      .map((parts) => Object.assign({}, ...parts) as unknown);
  }
  return fc.oneof(
    ...typesOf(schema).map((type): fc.Arbitrary<unknown> => {
      switch (type) {
        case 'string':
          return stringOf(schema);
        case 'integer':
          return fc.integer({ min: schema.minimum ?? -1_000_000, max: schema.maximum ?? 1_000_000 });
        case 'number':
          return fc.double({ noNaN: true, noDefaultInfinity: true, min: schema.minimum, max: schema.maximum });
        case 'boolean':
          return fc.boolean();
        case 'null':
          return fc.constant(null);
        case 'array':
          return fc.array(schema.items ? valuesOf(document, schema.items, hints) : fc.string(), { maxLength: 3 });
        case 'object': {
          const properties = Object.entries(schema.properties ?? {});
          const model = Object.fromEntries(
            properties.map(([name, property]) => [name, hints[name] ?? valuesOf(document, property, hints)]),
          );
          return fc.record(model, { requiredKeys: schema.required ?? [] });
        }
        default:
          throw new Error(`no values for schema type ${type}`);
      }
    }),
  );
}

/** A value of the wrong type for any field: what a client with a bug (or an attacker) sends instead. */
export const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    2 ** 53,
    -(2 ** 63),
    1e308,
    [],
    {},
    [null],
    { $ref: '#/x' },
    JSON.parse('{"__proto__":{"admin":true}}') as unknown,
  ),
  fc.integer(),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

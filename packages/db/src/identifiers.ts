import { DatabaseOptionsError } from './errors';

// Lower-case, unquoted-safe names only: the schema name ends up in SQL text (it cannot be a bind
// parameter), in Prisma's adapter and in a NOTIFY channel name (`outbox_<schema>`, which Postgres caps
// at 63 bytes), so anything exotic or long is refused up front.
const schemaNamePattern = /^[a-z_][a-z0-9_]{0,47}$/;

/** Checks a schema name and returns it; throws naming `field` when it is not a plain identifier. */
export function assertSchemaName(schema: unknown, field = 'schema'): string {
  if (typeof schema !== 'string' || !schemaNamePattern.test(schema)) {
    throw new DatabaseOptionsError(
      field,
      `must be a lower-case identifier (letters, digits, underscores; at most 48), got ${JSON.stringify(schema)}`,
    );
  }
  if (schema.startsWith('pg_')) {
    throw new DatabaseOptionsError(field, `names starting with pg_ are reserved by Postgres, got "${schema}"`);
  }
  return schema;
}

/** `"schema"."table"` for SQL text; both parts are validated identifiers. */
export function qualified(schema: string, table: string): string {
  return `"${assertSchemaName(schema)}"."${table}"`;
}

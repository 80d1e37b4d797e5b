import { DatabaseOptionsError } from './errors';

export interface ParsedDatabaseUrl {
  /** The URL handed to pg: Prisma's `schema` query parameter removed (Postgres would refuse it). */
  connectionString: string;
  /** Prisma-style `?schema=` from the URL, if any. */
  schemaParameter: string | null;
  /** For messages and logs: the password replaced by `***`. */
  redacted: string;
}

export function parseDatabaseUrl(url: unknown, field = 'url'): ParsedDatabaseUrl {
  if (typeof url !== 'string' || url.trim() === '') {
    throw new DatabaseOptionsError(field, `must be a postgres:// URL, got ${JSON.stringify(url)}`);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DatabaseOptionsError(field, 'is not a valid URL');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new DatabaseOptionsError(field, `must use postgres:// or postgresql://, got ${parsed.protocol}//`);
  }
  const schemaParameter = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  const connectionString = parsed.toString();
  if (parsed.password !== '') parsed.password = '***';
  return { connectionString, schemaParameter, redacted: parsed.toString() };
}

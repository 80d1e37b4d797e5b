import { createHash } from 'node:crypto';
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type { Pool, PoolClient } from 'pg';

/**
 * Statement texts are bounded by the code (Kysely binds every value), but a cap keeps a mistake from growing
 * each connection's prepared statements without end: past it, texts go unnamed (parsed and planned each time).
 */
const maxNamedStatements = 500;

/**
 * Kysely's Postgres dialect over the service's pg pool, with every statement prepared by name, as postgres.js
 * and pgx do by default: pg prepares only a statement given a name, and Kysely's dialect gives none. Postgres then
 * parses each text once per connection and may keep its plan (planning the instances table's wide row cost more
 * than reading it). The name is a digest of the text, so the same text is the same statement on every connection
 * and two texts never share a name. The pool stays the Database's: `end` leaves it open.
 */
export function preparingPool(pool: Pool): PostgresPool {
  const names = new Map<string, string>();

  function nameOf(text: string): string | undefined {
    let name = names.get(text);
    if (name === undefined && names.size < maxNamedStatements) {
      name = `kysely_${createHash('sha1').update(text).digest('hex')}`;
      names.set(text, name);
    }
    return name;
  }

  class PreparingClient implements PostgresPoolClient {
    constructor(private readonly client: PoolClient) {}

    query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
    query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
    query<R>(
      statement: string | PostgresCursor<R>,
      parameters?: ReadonlyArray<unknown>,
    ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
      if (typeof statement !== 'string') throw new Error('streaming queries are not used by the instance broker');
      const query = { name: nameOf(statement), text: statement, values: [...(parameters ?? [])] };
      return this.client.query(query) as unknown as Promise<PostgresQueryResult<R>>;
    }

    release(destroy?: boolean): void {
      this.client.release(destroy);
    }
  }

  return {
    connect: async () => new PreparingClient(await pool.connect()),
    end: async () => undefined,
  };
}

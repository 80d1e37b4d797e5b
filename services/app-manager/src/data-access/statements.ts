import { createHash } from 'node:crypto';
import { compileSql, inTransaction, qualified, type Database } from '@overcast/db';
import { sql, type RawBuilder } from 'kysely';
import type { Pool, PoolClient } from 'pg';

/** A pg pool (each statement its own transaction) or a client inside BEGIN … COMMIT. */
export type Queryable = Pool | PoolClient;

/** Statement texts are bounded by the code; the cap keeps a mistake from growing each connection's statements. */
const maxNamedStatements = 200;

/**
 * The app manager's hot statements (an app's create, a deploy's read and each step's commit) in SQL of their own,
 * sent straight through the service's pg pool: through Prisma each was a transaction of 5–12 round trips and most
 * of the app manager's CPU (bench/README.md). Built with Kysely's `sql` template (it numbers the values) and sent
 * as named prepared statements, so Postgres parses and plans each text once per connection. Tables are named with
 * the schema, as the rest of the service's SQL does.
 */
export function createStatements(database: Database) {
  const names = new Map<string, string>();
  const { schema } = database;

  function nameOf(text: string): string | undefined {
    let name = names.get(text);
    if (name === undefined && names.size < maxNamedStatements) {
      name = `app_manager_${createHash('sha1').update(text).digest('hex')}`;
      names.set(text, name);
    }
    return name;
  }

  async function run<Row>(statement: RawBuilder<unknown>, on: Queryable = database.pool): Promise<Row[]> {
    const { sql: text, parameters } = compileSql(statement);
    const result = await on.query({ name: nameOf(text), text, values: [...parameters] });
    return result.rows as Row[];
  }

  return {
    run,
    pool: database.pool,
    /** `name` in the service's schema. */
    table: (name: string) => sql.table(`${schema}.${name}`),
    /** `name` in the service's schema as text, for a function that takes a regclass (nextval). */
    qualifiedName: (name: string) => qualified(schema, name),
    /** Runs `work` in one transaction on one pooled connection (see `inTransaction`). */
    transaction: <T>(work: (client: PoolClient) => Promise<T>) => inTransaction(database.pool, work),
  };
}

export type Statements = ReturnType<typeof createStatements>;

/** A data-modifying statement as a WITH clause (Kysely parenthesizes the clauses it builds, not raw ones). */
export const clause = (statement: RawBuilder<unknown>) => sql`(${statement})`;

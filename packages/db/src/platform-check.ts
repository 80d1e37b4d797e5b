import type { Database } from './connect-database';
import { qualified } from './identifiers';

/** Fails fast, naming the fix, when the platform tables were never created in this schema. */
export async function assertPlatformTables(database: Database, user: string): Promise<void> {
  const result = await database.pool.query<{ present: boolean }>(
    `SELECT to_regclass($1) IS NOT NULL AND to_regclass($2) IS NOT NULL AS present`,
    [qualified(database.schema, '_overcast_outbox'), qualified(database.schema, '_overcast_job_leases')],
  );
  if (result.rows[0]?.present !== true) {
    throw new Error(
      `${user}: schema "${database.schema}" has no platform tables; call applyMigrations(database, dir) or ensurePlatformTables(database) at start`,
    );
  }
}

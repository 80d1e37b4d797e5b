import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import type { Database } from '../connect-database';
import { qualified } from '../identifiers';
import { silentLogger, type DbLogger } from '../logger';
import { ensurePlatformTablesLocked } from '../platform-tables';
import { scriptMatchesChecksum } from './checksum';
import { MigrationChecksumMismatchError, MigrationFailedError, UnfinishedMigrationError } from './migration-errors';
import { withMigrationLock } from './migration-lock';
import { readMigrations, type MigrationFile } from './read-migrations';

export interface MigrationResult {
  /** Names applied by this call, in order. */
  applied: string[];
  /** Names that were already applied before this call. */
  alreadyApplied: string[];
}

interface HistoryRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
}

async function readHistory(client: PoolClient, schema: string): Promise<HistoryRow[]> {
  const result = await client.query<HistoryRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at, logs
     FROM ${qualified(schema, '_prisma_migrations')} ORDER BY started_at`,
  );
  return result.rows;
}

/** Applied = finished and not rolled back, as Prisma counts it. */
function appliedRows(history: HistoryRow[]): Map<string, HistoryRow> {
  return new Map(
    history
      .filter((row) => row.finished_at !== null && row.rolled_back_at === null)
      .map((row) => [row.migration_name, row]),
  );
}

async function applyOne(client: PoolClient, schema: string, migration: MigrationFile): Promise<boolean> {
  const table = qualified(schema, '_prisma_migrations');
  await client.query('BEGIN');
  try {
    // Unqualified names in the script land in the service's schema, as with `prisma migrate deploy`.
    await client.query(`SET LOCAL search_path TO "${schema}"`);
    // Re-checked inside the transaction: on the embedded server the advisory lock excludes nothing,
    // but transactions run one at a time, so a concurrent runner's commit is visible here.
    const done = await client.query(
      `SELECT 1 FROM ${table} WHERE migration_name = $1 AND finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      [migration.name],
    );
    if ((done.rowCount ?? 0) > 0) {
      await client.query('ROLLBACK');
      return false;
    }
    await client.query(migration.script);
    await client.query(
      `INSERT INTO ${table} (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), clock_timestamp(), 1)`,
      [randomUUID(), migration.checksum, migration.name],
    );
    await client.query('COMMIT');
    return true;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw new MigrationFailedError(migration.name, error);
  }
}

/**
 * Applies pending migrations from Prisma's layout (`<migrationsDir>/<timestamp>_<name>/migration.sql`),
 * each in its own transaction, recording them in `_prisma_migrations` exactly as Prisma does. Ensures the
 * platform tables first. Refuses, before changing anything, when an applied file was edited or a
 * migration was left unfinished.
 */
export async function applyMigrations(
  database: Database,
  migrationsDir: string,
  { logger = silentLogger }: { logger?: DbLogger } = {},
): Promise<MigrationResult> {
  const migrations = await readMigrations(migrationsDir);
  return withMigrationLock(database, async (client) => {
    await ensurePlatformTablesLocked(client, database.schema);
    const history = await readHistory(client, database.schema);
    const unfinished = history.find((row) => row.finished_at === null && row.rolled_back_at === null);
    if (unfinished) throw new UnfinishedMigrationError(unfinished.migration_name, unfinished.logs);

    const applied = appliedRows(history);
    for (const migration of migrations) {
      const row = applied.get(migration.name);
      if (row && !scriptMatchesChecksum(migration.script, row.checksum)) {
        throw new MigrationChecksumMismatchError(migration.name, row.checksum, migration.checksum);
      }
    }
    const known = new Set(migrations.map((migration) => migration.name));
    const unknown = [...applied.keys()].filter((name) => !known.has(name));
    if (unknown.length > 0) {
      // A newer release migrated this database and we are older code (e.g. a rollback): carry on.
      logger.warn({ schema: database.schema, migrations: unknown }, 'database has migrations this code does not know');
    }

    const result: MigrationResult = { applied: [], alreadyApplied: [] };
    for (const migration of migrations) {
      if (applied.has(migration.name) || !(await applyOne(client, database.schema, migration))) {
        result.alreadyApplied.push(migration.name);
        continue;
      }
      logger.info({ schema: database.schema, migration: migration.name }, 'migration applied');
      result.applied.push(migration.name);
    }
    return result;
  });
}

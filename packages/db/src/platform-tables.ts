import type { PoolClient } from 'pg';
import type { Database } from './connect-database';
import { qualified } from './identifiers';
import { withMigrationLock } from './migrations/migration-lock';

// Bump when the DDL below changes (and keep every statement idempotent): the marker lets a start
// skip the DDL entirely, so no replica takes DDL locks on the outbox while others write to it.
const platformVersion = 'overcast-platform:1';

/** Prisma's own definition, column for column, so `prisma migrate status/deploy` read what we write. */
function prismaMigrationsTable(schema: string): string {
  return `CREATE TABLE IF NOT EXISTS ${qualified(schema, '_prisma_migrations')} (
    "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"            VARCHAR(64) NOT NULL,
    "finished_at"         TIMESTAMPTZ,
    "migration_name"      VARCHAR(255) NOT NULL,
    "logs"                TEXT,
    "rolled_back_at"      TIMESTAMPTZ,
    "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
  )`;
}

function platformTables(schema: string): string[] {
  const outbox = qualified(schema, '_overcast_outbox');
  const notify = qualified(schema, '_overcast_outbox_notify');
  return [
    // `json`, not `jsonb`: the envelope goes back on the wire exactly as the service wrote it.
    `CREATE TABLE IF NOT EXISTS ${outbox} (
      "id"            BIGSERIAL PRIMARY KEY,
      "kind"          TEXT NOT NULL CHECK ("kind" IN ('command', 'event')),
      "message_id"    TEXT NOT NULL,
      "message_type"  TEXT NOT NULL,
      "envelope"      JSON NOT NULL,
      "created_at"    TIMESTAMPTZ NOT NULL DEFAULT now(),
      "available_at"  TIMESTAMPTZ NOT NULL DEFAULT now(),
      "attempts"      INTEGER NOT NULL DEFAULT 0,
      "last_error"    TEXT,
      "claimed_by"    TEXT,
      "claimed_until" TIMESTAMPTZ
    )`,
    `CREATE INDEX IF NOT EXISTS "_overcast_outbox_available" ON ${outbox} ("available_at", "id")`,
    // One wake-up per inserting statement; Postgres folds duplicates within a transaction and
    // delivers them only on commit, which is exactly when the relay can see the rows.
    `CREATE OR REPLACE FUNCTION ${notify}() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN PERFORM pg_notify('outbox_' || TG_TABLE_SCHEMA, ''); RETURN NULL; END $$`,
    `CREATE OR REPLACE TRIGGER "_overcast_outbox_notify" AFTER INSERT ON ${outbox}
     FOR EACH STATEMENT EXECUTE FUNCTION ${notify}()`,
    `CREATE TABLE IF NOT EXISTS ${qualified(schema, '_overcast_inbox')} (
      "consumer"     TEXT NOT NULL,
      "message_id"   TEXT NOT NULL,
      "processed_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      PRIMARY KEY ("consumer", "message_id")
    )`,
    `CREATE INDEX IF NOT EXISTS "_overcast_inbox_processed_at" ON ${qualified(schema, '_overcast_inbox')} ("processed_at")`,
    `CREATE TABLE IF NOT EXISTS ${qualified(schema, '_overcast_job_leases')} (
      "name"             TEXT PRIMARY KEY,
      "holder"           TEXT NOT NULL,
      "expires_at"       TIMESTAMPTZ NOT NULL,
      "last_finished_at" TIMESTAMPTZ
    )`,
    `COMMENT ON TABLE ${outbox} IS '${platformVersion}'`,
  ];
}

/** Creates `_prisma_migrations` and the platform tables when missing; the caller holds the migration lock. */
export async function ensurePlatformTablesLocked(client: PoolClient, schema: string): Promise<void> {
  await client.query(prismaMigrationsTable(schema));
  const marker = await client.query<{ version: string | null }>(
    `SELECT obj_description(to_regclass($1), 'pg_class') AS version`,
    [qualified(schema, '_overcast_outbox')],
  );
  if (marker.rows[0]?.version === platformVersion) return;
  await client.query('BEGIN');
  try {
    for (const statement of platformTables(schema)) await client.query(statement);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * The outbox, inbox and job-lease tables (plus `_prisma_migrations`), idempotently. `applyMigrations`
 * calls this; a service without migrations of its own calls it at start.
 */
export async function ensurePlatformTables(database: Database): Promise<void> {
  await withMigrationLock(database, (client) => ensurePlatformTablesLocked(client, database.schema));
}

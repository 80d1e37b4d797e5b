import type { Pool } from 'pg';
import type { BusNames } from './bus-names';

/** Bumped with every change to the DDL below; a schema already at this version is left alone. */
const schemaVersion = 'overcast bus schema v1';
/** First key of the two-key advisory lock that serializes DDL per schema ('ovbs'). */
const ddlLockClass = 0x6f766273;

/**
 * - messages: one row per message per queue. `available_at` is when it may next be claimed: now for a new message,
 *   later for a retry, the lease's end while a consumer holds it. `deliveries` counts claims since the last
 *   (re)schedule: it tells a redelivery, and fences a settle against a consumer whose lease was taken over.
 * - bindings: durable like RabbitMQ's, so a publish after a restart routes before any consumer binds again.
 * - requests/replies: RPC traffic, UNLOGGED (no WAL, so no fsync per call): a request is worthless after its
 *   deadline and its caller fails without a reply anyway, so a database crash losing them loses nothing of value.
 */
function ddl(names: BusNames): string {
  const { schema } = names;
  return `
    CREATE SCHEMA IF NOT EXISTS "${schema}";
    CREATE TABLE IF NOT EXISTS ${names.table('bindings')} (
      exchange text NOT NULL,
      routing_key text NOT NULL,
      queue text NOT NULL,
      PRIMARY KEY (exchange, routing_key, queue)
    );
    CREATE TABLE IF NOT EXISTS ${names.table('messages')} (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      queue text NOT NULL,
      body text NOT NULL,
      attempt integer NOT NULL DEFAULT 1,
      available_at timestamptz NOT NULL DEFAULT now(),
      deliveries integer NOT NULL DEFAULT 0,
      lease_owner integer
    );
    CREATE INDEX IF NOT EXISTS messages_due ON ${names.table('messages')} (queue, available_at, id);
    CREATE INDEX IF NOT EXISTS messages_leased ON ${names.table('messages')} (lease_owner) WHERE lease_owner IS NOT NULL;
    CREATE TABLE IF NOT EXISTS ${names.table('dead_letters')} (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      queue text NOT NULL,
      body text NOT NULL,
      attempts integer NOT NULL,
      last_error text NOT NULL,
      dead_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX IF NOT EXISTS dead_letters_queue ON ${names.table('dead_letters')} (queue, id);
    CREATE UNLOGGED TABLE IF NOT EXISTS ${names.table('requests')} (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      queue text NOT NULL,
      call_id text NOT NULL,
      reply_channel text NOT NULL,
      deadline bigint NOT NULL,
      body text NOT NULL
    );
    CREATE INDEX IF NOT EXISTS requests_queue ON ${names.table('requests')} (queue, id);
    CREATE UNLOGGED TABLE IF NOT EXISTS ${names.table('replies')} (
      call_id text PRIMARY KEY,
      body text NOT NULL,
      deadline bigint NOT NULL
    );
    COMMENT ON SCHEMA "${schema}" IS '${schemaVersion}';
  `;
}

/**
 * Creates the bus's schema if it is missing or older. The version check comes first so that a start against a
 * live schema takes no DDL lock (CREATE INDEX IF NOT EXISTS locks its table before it finds the index exists);
 * the advisory lock makes two buses starting at once on a new schema take turns instead of colliding.
 */
export async function ensureBusSchema(pool: Pool, names: BusNames): Promise<void> {
  const current = await pool.query<{ version: string | null }>(
    `SELECT obj_description(oid, 'pg_namespace') AS version FROM pg_namespace WHERE nspname = $1`,
    [names.schema],
  );
  if (current.rows[0]?.version === schemaVersion) return;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [ddlLockClass, names.schema]);
    await client.query(ddl(names));
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

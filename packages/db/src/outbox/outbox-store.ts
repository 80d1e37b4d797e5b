import type { Envelope } from '@overcast/contracts';
import type { Database } from '../connect-database';
import { qualified } from '../identifiers';
import type { MessageKind } from './add-to-outbox';

export interface OutboxRow {
  /** bigserial, as a string (pg returns int8 as text); rows are published in this order. */
  id: string;
  kind: MessageKind;
  envelope: Envelope;
  /** Failed publishes of this row so far. */
  attempts: number;
}

/**
 * Claims up to `limit` publishable rows for `claimMs`. SKIP LOCKED lets relays claim concurrently
 * without waiting on or taking each other's rows; the claim (not a held transaction) keeps them out
 * of other batches while this relay publishes, so no connection or lock is held across a publish —
 * which on the embedded server would stall every other transaction.
 */
export async function claimOutboxRows(
  database: Database,
  relayId: string,
  limit: number,
  claimMs: number,
): Promise<OutboxRow[]> {
  const table = qualified(database.schema, '_overcast_outbox');
  const result = await database.pool.query<OutboxRow>(
    `UPDATE ${table} SET claimed_by = $1, claimed_until = now() + $2::float8 * interval '1 millisecond'
     WHERE id IN (
       SELECT id FROM ${table}
       WHERE available_at <= now() AND (claimed_until IS NULL OR claimed_until < now())
       ORDER BY id LIMIT $3
       FOR UPDATE SKIP LOCKED)
     RETURNING id, kind, envelope, attempts`,
    [relayId, claimMs, limit],
  );
  // RETURNING has no order of its own; insertion order is what consumers may rely on.
  return result.rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
}

export async function deleteOutboxRows(database: Database, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await database.pool.query(
    `DELETE FROM ${qualified(database.schema, '_overcast_outbox')} WHERE id = ANY($1::bigint[])`,
    [ids],
  );
}

export interface FailedRow {
  id: string;
  error: string;
  /** How long the row waits before it can be claimed again; null: claimable at once, in its original order. */
  retryInMs: number | null;
}

/** Gives failed rows back, each counted as one more attempt and held back for its `retryInMs`. */
export async function releaseFailedRows(database: Database, failures: FailedRow[]): Promise<void> {
  if (failures.length === 0) return;
  await database.pool.query(
    `UPDATE ${qualified(database.schema, '_overcast_outbox')} AS o
     SET claimed_by = NULL, claimed_until = NULL, attempts = o.attempts + 1, last_error = f.error,
         available_at = COALESCE(now() + f.retry_in_ms * interval '1 millisecond', o.available_at)
     FROM unnest($1::bigint[], $2::text[], $3::float8[]) AS f(id, error, retry_in_ms)
     WHERE o.id = f.id`,
    [failures.map((f) => f.id), failures.map((f) => f.error), failures.map((f) => f.retryInMs)],
  );
}

/** Rows not yet published, and how many of them have failed at least once: for metrics and health. */
export async function countOutbox(database: Database): Promise<{ pending: number; failing: number }> {
  const result = await database.pool.query<{ pending: string; failing: string }>(
    `SELECT count(*) AS pending, count(*) FILTER (WHERE attempts > 0) AS failing
     FROM ${qualified(database.schema, '_overcast_outbox')}`,
  );
  return { pending: Number(result.rows[0]?.pending ?? 0), failing: Number(result.rows[0]?.failing ?? 0) };
}

import { sql, type RawBuilder } from 'kysely';
import { compileSql } from '../compile-sql';
import type { Database } from '../connect-database';
import { DatabaseOptionsError } from '../errors';
import { assertSchemaName, qualified } from '../identifiers';
import { nonEmptyString, positiveInteger } from '../options';
import type { SqlExecutor } from '../sql-executor';

/**
 * Records that `consumer` handled `messageId`, in the caller's transaction; resolves false when it
 * already had. Call it first in the handler's transaction and skip the effect on false:
 *
 * ```ts
 * await prisma.$transaction(async (tx) => {
 *   if (!(await runOnce(sqlExecutor(tx, database.schema), 'instance-broker.create-instance', delivery.envelope.id))) return;
 *   // … the effect, committed together with the inbox row …
 * });
 * ```
 * A concurrent delivery of the same message waits on the first one's row: if that commits it gets
 * false, if it rolls back it gets true and does the work itself. So the effect happens once.
 */
export async function runOnce(executor: SqlExecutor, consumer: string, messageId: string): Promise<boolean> {
  const { sql: text, parameters } = compileSql(inboxInsert(executor.schema, inboxEntry(consumer, messageId)));
  return (await executor.execute(text, parameters)) === 1;
}

/** The inbox row that records `consumer` handled `messageId`, checked: what `inboxInsert` writes. */
export interface InboxEntry {
  consumer: string;
  messageId: string;
}

export function inboxEntry(consumer: string, messageId: string): InboxEntry {
  nonEmptyString('consumer', consumer);
  nonEmptyString('messageId', messageId);
  return { consumer, messageId };
}

/**
 * `runOnce` as part of a single statement: an `INSERT` of the inbox row (`inboxEntry`) that returns a row only
 * when it is new, for a data-modifying `WITH` clause whose other clauses do the effect
 * `WHERE EXISTS (SELECT 1 FROM inbox)`. Its parameters are bound by Kysely wherever it is embedded.
 */
export function inboxInsert(schema: string, entry: InboxEntry): RawBuilder<Record<string, unknown>> {
  return sql`INSERT INTO ${sql.table(`${assertSchemaName(schema)}._overcast_inbox`)} (consumer, message_id) VALUES (${entry.consumer}, ${entry.messageId})
     ON CONFLICT (consumer, message_id) DO NOTHING RETURNING 1`;
}

/**
 * Forgets inbox entries older than `olderThanMs` (at most `limit` per call); run it as an exclusive
 * job. Choose a window longer than any redelivery can take (retries, DLQ replays): a message seen
 * again after its entry is gone would be processed again.
 */
export async function pruneInbox(
  database: Database,
  { olderThanMs, limit = 10_000 }: { olderThanMs: number; limit?: number },
): Promise<number> {
  if (!Number.isFinite(olderThanMs) || olderThanMs < 0) {
    throw new DatabaseOptionsError(
      'olderThanMs',
      `must be a non-negative number of milliseconds, got ${String(olderThanMs)}`,
    );
  }
  const table = qualified(database.schema, '_overcast_inbox');
  const result = await database.pool.query(
    `DELETE FROM ${table} WHERE ctid IN (
       SELECT ctid FROM ${table} WHERE processed_at < now() - $1::float8 * interval '1 millisecond' LIMIT $2)`,
    [Math.floor(olderThanMs), positiveInteger('limit', limit, 10_000)],
  );
  return result.rowCount ?? 0;
}

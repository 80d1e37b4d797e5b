import { inboxInsert, outboxInsert, qualified, type Database, type MessageKind } from '@overcast/db';
import type { Envelope } from '@overcast/contracts';
import type { InboxEntry, InstanceChanges } from '../domain/ports';
import type { InstanceRecord } from '../domain/records';

export interface InstanceTransition {
  instance: InstanceRecord;
  changes: InstanceChanges;
  updatedAt: Date;
  messages: { kind: MessageKind; envelope: Envelope }[];
  inbox?: InboxEntry;
}

const columnOf: Record<keyof InstanceChanges, string> = {
  state: 'state',
  ipAddress: 'ip_address',
  upstreamId: 'upstream_id',
  errorReason: 'error_reason',
};

/**
 * A conditional state change as one statement of data-modifying WITH clauses: the inbox row (when given), the
 * update if the row is still in the state read (and the inbox row is new), and the messages if it updated.
 * `fresh` is false when the inbox had the message; `updated` whether the row changed.
 */
export function createInstanceTransition(database: Database) {
  const { pool, schema } = database;
  return async function transition(change: InstanceTransition): Promise<{ fresh: boolean; updated: boolean }> {
    const parameters: unknown[] = [];
    const parameter = (value: unknown): string => `$${parameters.push(value)}`;
    const clauses: string[] = [];
    if (change.inbox)
      clauses.push(`inbox AS (${inboxInsert(schema, change.inbox.consumer, change.inbox.messageId, parameters)})`);
    const sets = Object.entries(change.changes)
      .filter(([, value]) => value !== undefined)
      .map(([field, value]) => `${columnOf[field as keyof InstanceChanges]} = ${parameter(value)}`);
    sets.push(`updated_at = ${parameter(change.updatedAt.toISOString())}::timestamptz`);
    clauses.push(`updated AS (UPDATE ${qualified(schema, 'instances')} SET ${sets.join(', ')}
      WHERE id = ${parameter(change.instance.id)}::uuid AND state = ${parameter(change.instance.state)}
      ${change.inbox ? 'AND EXISTS (SELECT 1 FROM inbox)' : ''} RETURNING 1)`);
    if (change.messages.length > 0) {
      clauses.push(
        `messages AS (${outboxInsert(schema, change.messages, parameters)} WHERE EXISTS (SELECT 1 FROM updated))`,
      );
    }
    const fresh = change.inbox ? 'EXISTS (SELECT 1 FROM inbox)' : 'true';
    const { rows } = await pool.query<{ fresh: boolean; updated: boolean }>(
      `WITH ${clauses.join(',\n')} SELECT ${fresh} AS fresh, EXISTS (SELECT 1 FROM updated) AS updated`,
      parameters,
    );
    return rows[0] ?? { fresh: false, updated: false };
  };
}

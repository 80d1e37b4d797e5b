import { Envelope } from '@overcast/contracts';
import { sql, type RawBuilder } from 'kysely';
import { compileSql } from '../compile-sql';
import { DatabaseOptionsError } from '../errors';
import { assertSchemaName } from '../identifiers';
import type { SqlExecutor } from '../sql-executor';

export type MessageKind = 'command' | 'event';

function assertKind(kind: unknown): asserts kind is MessageKind {
  if (kind !== 'command' && kind !== 'event') {
    throw new DatabaseOptionsError('kind', `must be "command" or "event", got ${JSON.stringify(kind)}`);
  }
}

function serialize(envelope: Envelope): string {
  const parsed = Envelope.safeParse(envelope);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = ['envelope', ...(issue?.path ?? []).map(String)].join('.');
    throw new DatabaseOptionsError(path, issue?.message ?? 'is not a valid envelope');
  }
  try {
    return JSON.stringify(envelope);
  } catch (error) {
    throw new DatabaseOptionsError('envelope.payload', `is not JSON-serializable: ${(error as Error).message}`);
  }
}

/**
 * Records a message to publish, inside the caller's transaction: it reaches the bus if and only if
 * that transaction commits (the relay publishes it, with broker confirms, at least once).
 *
 * ```ts
 * await prisma.$transaction(async (tx) => {
 *   await tx.instance.create({ data });
 *   await addToOutbox(sqlExecutor(tx, database.schema), 'event', createEnvelope('instance.created', 1, payload, context));
 * });
 * ```
 */
export async function addToOutbox(executor: SqlExecutor, kind: MessageKind, envelope: Envelope): Promise<void> {
  const { sql: text, parameters } = compileSql(outboxInsert(executor.schema, outboxColumns([{ kind, envelope }])));
  await executor.execute(text, parameters);
}

/** The outbox's columns for some messages, one array per column: what `outboxInsert` writes. */
export interface OutboxColumns {
  kind: MessageKind[];
  messageId: string[];
  messageType: string[];
  /** Each envelope as JSON text. */
  envelope: string[];
}

/** Checks each message (kind, envelope) and lays them out as `outboxInsert` writes them. */
export function outboxColumns(messages: readonly { kind: MessageKind; envelope: Envelope }[]): OutboxColumns {
  for (const { kind } of messages) assertKind(kind);
  return {
    kind: messages.map((message) => message.kind),
    messageId: messages.map((message) => message.envelope.id),
    messageType: messages.map((message) => message.envelope.type),
    envelope: messages.map((message) => serialize(message.envelope)),
  };
}

/**
 * The outbox half of a single statement that also writes what the messages announce: an `INSERT` of every
 * message (`outboxColumns`), for a data-modifying `WITH` clause (inside a Kysely `sql` template). One statement is
 * atomic without BEGIN/COMMIT and one round trip however many rows it writes. Its parameters are bound by Kysely
 * wherever it is embedded. The text ends with its SELECT's FROM, so a `WHERE EXISTS (SELECT 1 FROM rows)` may
 * follow to add the messages only when the rows were written.
 */
export function outboxInsert(schema: string, columns: OutboxColumns): RawBuilder<Record<string, unknown>> {
  return sql`INSERT INTO ${sql.table(`${assertSchemaName(schema)}._overcast_outbox`)} (kind, message_id, message_type, envelope)
    SELECT * FROM unnest(${columns.kind}::text[], ${columns.messageId}::text[], ${columns.messageType}::text[], ${columns.envelope}::json[])`;
}

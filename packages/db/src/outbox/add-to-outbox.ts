import { Envelope } from '@overcast/contracts';
import { DatabaseOptionsError } from '../errors';
import { qualified } from '../identifiers';
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
  assertKind(kind);
  const body = serialize(envelope);
  await executor.execute(
    `INSERT INTO ${qualified(executor.schema, '_overcast_outbox')} (kind, message_id, message_type, envelope)
     VALUES ($1, $2, $3, $4::json)`,
    [kind, envelope.id, envelope.type, body],
  );
}

/**
 * The outbox half of a single statement that also writes what the messages announce: an `INSERT` of every
 * message, for a data-modifying `WITH` clause (`WITH rows AS (INSERT …), messages AS (${outboxInsert(…)}) …`).
 * One statement is atomic without BEGIN/COMMIT and one round trip however many rows it writes. Appends its four
 * array parameters to `parameters` and refers to them by position. The text ends with its SELECT's FROM, so a
 * `WHERE EXISTS (SELECT 1 FROM rows)` may follow to add the messages only when the rows were written.
 */
export function outboxInsert(
  schema: string,
  messages: readonly { kind: MessageKind; envelope: Envelope }[],
  parameters: unknown[],
): string {
  for (const { kind } of messages) assertKind(kind);
  const first = parameters.length + 1;
  parameters.push(
    messages.map((message) => message.kind),
    messages.map((message) => message.envelope.id),
    messages.map((message) => message.envelope.type),
    messages.map((message) => serialize(message.envelope)),
  );
  return `INSERT INTO ${qualified(schema, '_overcast_outbox')} (kind, message_id, message_type, envelope)
    SELECT * FROM unnest($${first}::text[], $${first + 1}::text[], $${first + 2}::text[], $${first + 3}::json[])`;
}

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

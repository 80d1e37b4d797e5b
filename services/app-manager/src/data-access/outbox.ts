import {
  createEnvelope,
  type CommandDefinition,
  type Envelope,
  type EventDefinition,
  type MessageContext,
  type PayloadOf,
} from '@overcast/contracts';
import { addToOutbox, sqlExecutor, type MessageKind } from '@overcast/db';
import { withTraceContext } from '@overcast/messaging';
import type { AppManagerTransaction } from './prisma-client';

export interface OutboxMessage {
  kind: MessageKind;
  envelope: Envelope;
}

/** A command or event checked against its definition, in its envelope: one row of the outbox. */
export function outboxMessage<D extends CommandDefinition | EventDefinition>(
  definition: D,
  payload: PayloadOf<D>,
  context?: MessageContext,
): OutboxMessage {
  const parsed = definition.schema.parse(payload) as PayloadOf<D>;
  return {
    kind: definition.kind,
    envelope: withTraceContext(createEnvelope(definition.type, definition.version, parsed, context)),
  };
}

/** Adds a command or event to the outbox in `tx`: it reaches the bus if and only if `tx` commits. */
export async function enqueue<D extends CommandDefinition | EventDefinition>(
  tx: AppManagerTransaction,
  schema: string,
  definition: D,
  payload: PayloadOf<D>,
  context?: MessageContext,
): Promise<void> {
  const { kind, envelope } = outboxMessage(definition, payload, context);
  await addToOutbox(sqlExecutor(tx, schema), kind, envelope);
}

import {
  createEnvelope,
  type CommandDefinition,
  type EventDefinition,
  type MessageContext,
  type PayloadOf,
} from '@overcast/contracts';
import { addToOutbox, sqlExecutor } from '@overcast/db';
import { withTraceContext } from '@overcast/messaging';
import type { AppManagerTransaction } from './prisma-client';

/** Adds a command or event to the outbox in `tx`: it reaches the bus if and only if `tx` commits. */
export async function enqueue<D extends CommandDefinition | EventDefinition>(
  tx: AppManagerTransaction,
  schema: string,
  definition: D,
  payload: PayloadOf<D>,
  context?: MessageContext,
): Promise<void> {
  const parsed = definition.schema.parse(payload) as PayloadOf<D>;
  const envelope = withTraceContext(createEnvelope(definition.type, definition.version, parsed, context));
  await addToOutbox(sqlExecutor(tx, schema), definition.kind, envelope);
}

import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/** Every message on the bus travels in this envelope; `version` is the payload schema's version. */
export const Envelope = z.object({
  id: z.string().min(1),
  type: z.string().min(1),
  version: z.number().int().positive(),
  occurredAt: z.string().min(1),
  correlationId: z.string().min(1),
  causationId: z.string().min(1).nullable(),
  payload: z.unknown(),
});
export type Envelope<TPayload = unknown> = Omit<z.infer<typeof Envelope>, 'payload'> & { payload: TPayload };

/** Where a message comes from: the request (correlation) and the message that caused it (causation). */
export interface MessageContext {
  correlationId: string;
  causationId?: string | null;
}

export function createEnvelope<TPayload>(
  type: string,
  version: number,
  payload: TPayload,
  context?: MessageContext,
): Envelope<TPayload> {
  const id = randomUUID();
  return {
    id,
    type,
    version,
    occurredAt: new Date().toISOString(),
    correlationId: context?.correlationId ?? id,
    causationId: context?.causationId ?? null,
    payload,
  };
}

/** The context for messages sent while handling `envelope`: same correlation, caused by it. */
export function contextFrom(envelope: Envelope): MessageContext {
  return { correlationId: envelope.correlationId, causationId: envelope.id };
}

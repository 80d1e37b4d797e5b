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
  /**
   * W3C trace context of the span that sent it (`traceparent`/`tracestate` as in HTTP headers): in the envelope
   * rather than transport headers so it is stored with an outbox row, crosses every transport alike and rides
   * per request inside an RPC batch. Optional: absent when tracing is off, and older senders never wrote it.
   */
  traceparent: z.string().min(1).max(512).optional(),
  tracestate: z.string().min(1).max(512).optional(),
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

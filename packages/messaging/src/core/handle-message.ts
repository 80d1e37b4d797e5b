import { SpanKind } from '@opentelemetry/api';
import { contextFrom } from '@overcast/contracts';
import { backoffDelayMs } from '@overcast/pacing';
import type { Catalog, MessageDefinition } from '@overcast/contracts';
import type { MessageHandler, RetryPolicy } from '../bus';
import type { BusLogger, MessageContextHook } from '../bus-options';
import type { BusMetrics } from '../telemetry/bus-metrics';
import { inSpan } from '../telemetry/in-span';
import { traceContextOf } from '../telemetry/trace-context';
import { describeError, parseEnvelope } from './parse-envelope';
import { describeIssues } from './zod-details';

export interface IncomingMessage {
  body: string;
  /** 1 on first delivery, then one more per retry. */
  attempt: number;
  redelivered: boolean;
}

/** What one consumer does with the messages of its queue. */
export interface MessageProcessor {
  queue: string;
  catalog: Catalog<MessageDefinition>;
  handlers: Readonly<Record<string, MessageHandler<unknown>>>;
  retry: RetryPolicy;
}

export interface HandlingRuntime {
  context: MessageContextHook;
  logger: BusLogger;
  metrics: BusMetrics;
}

/** The transport acts on the outcome: ack, schedule a retry, or park the message with its error. */
export type MessageOutcome =
  | { kind: 'done' }
  | { kind: 'retry'; nextAttempt: number; delayMs: number; error: string }
  | { kind: 'dead'; attempts: number; error: string };

export async function handleMessage(
  message: IncomingMessage,
  processor: MessageProcessor,
  runtime: HandlingRuntime,
): Promise<MessageOutcome> {
  const { logger } = runtime;
  const dead = (error: string, fields: object, thrown?: unknown): MessageOutcome => {
    // A handler's failure is logged as the error it threw; a message refused before any handler ran, by its reason.
    const why = thrown === undefined ? { reason: error } : { err: thrown };
    logger.error({ queue: processor.queue, attempt: message.attempt, ...why, ...fields }, 'message dead-lettered');
    runtime.metrics.deadLettered(processor.queue);
    return { kind: 'dead', attempts: message.attempt, error };
  };

  const parsed = parseEnvelope(message.body);
  if (!parsed.ok) return dead(parsed.error, {});
  const { envelope } = parsed;
  const fields = { messageId: envelope.id, type: envelope.type, correlationId: envelope.correlationId };

  const definition = processor.catalog[envelope.type];
  const handler = processor.handlers[envelope.type];
  if (!definition || !handler) return dead(`no handler for ${envelope.type} on queue ${processor.queue}`, fields);
  if (envelope.version !== definition.version) {
    return dead(
      `${envelope.type} v${envelope.version} is not the v${definition.version} this consumer understands`,
      fields,
    );
  }
  const payload = definition.schema.safeParse(envelope.payload);
  if (!payload.success) {
    return dead(
      `${envelope.type} does not match its schema: ${describeIssues(payload.error.issues, 'payload')}`,
      fields,
    );
  }

  runtime.metrics.delivered(processor.queue, message.redelivered || message.attempt > 1);
  try {
    // The span continues the sender's trace (the envelope's traceparent), whatever the transport.
    await inSpan(
      `process ${envelope.type}`,
      SpanKind.CONSUMER,
      {
        'messaging.system': 'overcast-bus',
        'messaging.operation.type': 'process',
        'messaging.destination.name': processor.queue,
        'messaging.message.id': envelope.id,
        'overcast.attempt': message.attempt,
      },
      () =>
        runtime.context.run(contextFrom(envelope), () =>
          handler(payload.data, {
            envelope: { ...envelope, payload: payload.data },
            attempt: message.attempt,
            redelivered: message.redelivered,
          }),
        ),
      traceContextOf(envelope),
    );
    logger.debug({ queue: processor.queue, attempt: message.attempt, ...fields }, 'message handled');
    return { kind: 'done' };
  } catch (thrown) {
    const error = describeError(thrown);
    if (message.attempt >= processor.retry.maxAttempts) return dead(error, fields, thrown);
    const delayMs = backoffDelayMs(processor.retry, message.attempt);
    logger.warn(
      { queue: processor.queue, attempt: message.attempt, delayMs, err: thrown, ...fields },
      'handler failed; retrying later',
    );
    return { kind: 'retry', nextAttempt: message.attempt + 1, delayMs, error };
  }
}

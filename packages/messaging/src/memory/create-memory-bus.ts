import { AppError, Envelope } from '@overcast/contracts';
import type { Bus, Consumer } from '../bus';
import {
  assertPositiveInteger,
  assertValidName,
  defaultPrefetch,
  defaultRpcTimeoutMs,
  noMessageContext,
  silentLogger,
} from '../bus-options';
import type { BusOptions } from '../bus-options';
import { noBusMetrics } from '../telemetry/bus-metrics';
import { answerRequest } from '../core/answer-request';
import { parseEnvelope } from '../core/parse-envelope';
import { deadLetterFrom } from '../core/dead-letter';
import { handleMessage } from '../core/handle-message';
import { messageHandlersOf, rpcHandlersOf } from '../core/handler-maps';
import { outgoingEnvelope } from '../core/outgoing-envelope';
import { PendingCalls } from '../core/pending-calls';
import { resolveRetryPolicy } from '../core/retry-policy';
import { encodeReply, parseReplyBody } from '../core/rpc-reply';
import { describeIssues } from '../core/zod-details';
import { observeBus } from '../telemetry/observed-bus';
import { BusUnavailableError, UnroutableMessageError } from '../errors';
import { createMemoryBroker } from './memory-broker';
import type { MemoryBroker } from './memory-broker';
import { MemoryConsumer } from './memory-consumer';
import type { MemoryQueue, QueuedMessage } from './memory-queue';

export interface MemoryBusOptions extends BusOptions {
  /** Share one broker between buses to behave like several processes on one RabbitMQ; default: a private one. */
  broker?: MemoryBroker;
  /** Multiplies every retry delay (1), e.g. 0.01 for fast local runs. */
  retryDelayScale?: number;
}

type State = 'new' | 'started' | 'stopping' | 'stopped';

/** The in-process transport: the same routing, retries, dead letters and RPC semantics as RabbitMQ's, no broker. */
export function createMemoryBus(options: MemoryBusOptions = {}): Bus {
  const namespace = assertValidName('namespace', options.namespace ?? 'overcast');
  const broker = options.broker ?? createMemoryBroker();
  const ownsBroker = options.broker === undefined;
  const logger = options.logger ?? silentLogger;
  const context = options.context ?? noMessageContext;
  const runtime = { context, logger, metrics: options.metrics ?? noBusMetrics };
  const defaultRetry = resolveRetryPolicy(options.retry);
  const prefetch = assertPositiveInteger('prefetch', options.prefetch ?? defaultPrefetch);
  const rpcTimeoutMs = assertPositiveInteger('rpcTimeoutMs', options.rpcTimeoutMs ?? defaultRpcTimeoutMs);
  const delayScale = options.retryDelayScale ?? 1;
  if (!(delayScale >= 0)) throw new TypeError(`retryDelayScale must be a non-negative number (got ${delayScale})`);
  const pending = new PendingCalls(logger);
  const consumers = new Set<MemoryConsumer>();
  const commandExchange = `${namespace}.commands`;
  const eventExchange = `${namespace}.events`;
  const workQueue = (queue: string) => `${namespace}.${queue}`;
  const rpcQueue = (service: string) => `${namespace}.rpc.${service}`;
  let state: State = 'new';

  function assertStarted(action: string): void {
    if (state !== 'started')
      throw new BusUnavailableError(`cannot ${action}: the bus is ${state === 'new' ? 'not started' : state}`);
  }

  function route(kind: 'command' | 'event', envelope: Envelope): void {
    const queues = broker.route(kind === 'command' ? commandExchange : eventExchange, envelope.type);
    if (kind === 'command' && queues.length === 0) throw new UnroutableMessageError(envelope.type);
    const body = JSON.stringify(envelope);
    for (const queue of queues) queue.enqueue({ body, attempt: 1, redelivered: false });
  }

  function startConsumer(
    queue: MemoryQueue,
    consumerPrefetch: number,
    process: (message: QueuedMessage) => Promise<void>,
  ): Consumer {
    const consumer = new MemoryConsumer(queue, consumerPrefetch, process, (stopped) => consumers.delete(stopped));
    consumers.add(consumer);
    return consumer;
  }

  return observeBus(
    {
      async start() {
        if (state !== 'new') throw new Error(`the bus was already started (${state})`);
        state = 'started';
      },

      async stop() {
        if (state === 'stopped' || state === 'stopping') return;
        state = 'stopping';
        await Promise.all([...consumers].map((consumer) => consumer.stop()));
        pending.failAll(new BusUnavailableError('the bus stopped before the reply came'));
        if (ownsBroker) broker.close();
        state = 'stopped';
      },

      isReady: () => state === 'started',

      async publish(definition, payload, messageContext) {
        assertStarted(`publish ${definition.type}`);
        const envelope = outgoingEnvelope(definition, definition.schema, payload, messageContext, context);
        route(definition.kind, envelope);
        return envelope as Envelope<typeof payload>;
      },

      async publishEnvelope(kind, envelope) {
        assertStarted(`publish ${String(envelope?.type)}`);
        const checked = Envelope.safeParse(envelope);
        if (!checked.success)
          throw new AppError(
            'bad_request',
            `not a valid envelope: ${describeIssues(checked.error.issues, 'envelope')}`,
          );
        if (kind !== 'command' && kind !== 'event')
          throw new TypeError(`kind must be 'command' or 'event' (got ${JSON.stringify(kind)})`);
        route(kind, envelope);
      },

      async consume(queue, catalog, handlers, consumeOptions) {
        assertStarted(`consume ${String(queue)}`);
        const processor = {
          queue: assertValidName('queue', queue),
          catalog,
          handlers: messageHandlersOf(queue, catalog, handlers),
          retry: resolveRetryPolicy(defaultRetry, consumeOptions?.retry),
        };
        const consumerPrefetch = assertPositiveInteger('prefetch', consumeOptions?.prefetch ?? prefetch);
        const memoryQueue = broker.queue(workQueue(queue));
        for (const definition of Object.values(catalog)) {
          broker.bind(
            definition.kind === 'command' ? commandExchange : eventExchange,
            definition.type,
            memoryQueue.name,
          );
        }
        return startConsumer(memoryQueue, consumerPrefetch, async (message) => {
          const outcome = await handleMessage(message, processor, runtime);
          if (outcome.kind === 'retry') {
            broker.later(outcome.delayMs * delayScale, () =>
              memoryQueue.enqueue({ body: message.body, attempt: outcome.nextAttempt, redelivered: false }),
            );
          } else if (outcome.kind === 'dead') {
            broker.park(memoryQueue.name, deadLetterFrom(message.body, queue, outcome.attempts, outcome.error));
          }
        });
      },

      async call(definition, request, callOptions) {
        assertStarted(`call ${definition.type}`);
        const timeoutMs = assertPositiveInteger('timeoutMs', callOptions?.timeoutMs ?? rpcTimeoutMs);
        const envelope = outgoingEnvelope(definition, definition.request, request, callOptions?.context, context);
        const queue = broker.findQueue(rpcQueue(definition.service));
        if (!queue) throw new UnroutableMessageError(definition.type);
        const deadline = Date.now() + timeoutMs;
        const reply = pending.wait(envelope.id, definition, deadline, timeoutMs);
        queue.enqueue({
          body: JSON.stringify(envelope),
          attempt: 1,
          redelivered: false,
          deadline,
          reply: (body) => pending.settle(envelope.id, parseReplyBody(body)),
        });
        return (await reply) as never;
      },

      async serve(service, catalog, handlers, serveOptions) {
        assertStarted(`serve ${String(service)}`);
        const processor = {
          service: assertValidName('service', service),
          catalog,
          handlers: rpcHandlersOf(service, catalog, handlers),
        };
        const serverPrefetch = assertPositiveInteger('prefetch', serveOptions?.prefetch ?? prefetch);
        return startConsumer(broker.queue(rpcQueue(service)), serverPrefetch, async (message) => {
          const reply = await answerRequest(
            { envelope: parseEnvelope(message.body), deadline: message.deadline, redelivered: message.redelivered },
            processor,
            runtime,
          );
          if (reply) message.reply?.(encodeReply(reply));
        });
      },

      async readDeadLetters(queue, limit = 100) {
        return broker.readDeadLetters(
          workQueue(assertValidName('queue', queue)),
          assertPositiveInteger('limit', limit),
        );
      },
    },
    runtime.metrics,
  );
}

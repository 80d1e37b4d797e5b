import type { Envelope } from '@overcast/contracts';
import type { Bus, Consumer } from '../bus';
import { assertPositiveInteger, assertValidName } from '../bus-options';
import type { BusOptions } from '../bus-options';
import { BusLifecycle } from '../core/bus-lifecycle';
import {
  assertPublishableEnvelope,
  envelopeToPublish,
  messageConsumerOf,
  outgoingCall,
  requestServerOf,
} from '../core/bus-requests';
import { resolveBusSettings } from '../core/bus-settings';
import { answerRequest } from '../core/answer-request';
import { parseEnvelope } from '../core/parse-envelope';
import { deadLetterFrom } from '../core/dead-letter';
import { handleMessage } from '../core/handle-message';
import { PendingCalls } from '../core/pending-calls';
import { encodeReply, parseReplyBody } from '../core/rpc-reply';
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

/** The in-process transport: the same routing, retries, dead letters and RPC semantics as RabbitMQ's, no broker. */
export function createMemoryBus(options: MemoryBusOptions = {}): Bus {
  const settings = resolveBusSettings(options);
  const { namespace, logger, runtime } = settings;
  const broker = options.broker ?? createMemoryBroker();
  const ownsBroker = options.broker === undefined;
  const delayScale = options.retryDelayScale ?? 1;
  if (!(delayScale >= 0)) throw new TypeError(`retryDelayScale must be a non-negative number (got ${delayScale})`);
  const pending = new PendingCalls(logger);
  const consumers = new Set<MemoryConsumer>();
  const commandExchange = `${namespace}.commands`;
  const eventExchange = `${namespace}.events`;
  const workQueue = (queue: string) => `${namespace}.${queue}`;
  const rpcQueue = (service: string) => `${namespace}.rpc.${service}`;
  const lifecycle = new BusLifecycle();

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
        lifecycle.beginStart();
        lifecycle.state = 'started';
      },

      async stop() {
        if (!lifecycle.beginStop()) return;
        await Promise.all([...consumers].map((consumer) => consumer.stop()));
        pending.failAll(new BusUnavailableError('the bus stopped before the reply came'));
        if (ownsBroker) broker.close();
        lifecycle.state = 'stopped';
      },

      isReady: () => lifecycle.started,

      async publish(definition, payload, messageContext) {
        lifecycle.assertStarted(`publish ${definition.type}`);
        const envelope = envelopeToPublish(settings, definition, payload, messageContext);
        route(definition.kind, envelope);
        return envelope as Envelope<typeof payload>;
      },

      async publishEnvelope(kind, envelope) {
        lifecycle.assertStarted(`publish ${String(envelope?.type)}`);
        assertPublishableEnvelope(kind, envelope);
        route(kind, envelope);
      },

      async consume(queue, catalog, handlers, consumeOptions) {
        lifecycle.assertStarted(`consume ${String(queue)}`);
        const { processor, prefetch } = messageConsumerOf(settings, queue, catalog, handlers, consumeOptions);
        const memoryQueue = broker.queue(workQueue(queue));
        for (const definition of Object.values(catalog)) {
          broker.bind(
            definition.kind === 'command' ? commandExchange : eventExchange,
            definition.type,
            memoryQueue.name,
          );
        }
        return startConsumer(memoryQueue, prefetch, async (message) => {
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
        lifecycle.assertStarted(`call ${definition.type}`);
        const { envelope, timeoutMs } = outgoingCall(settings, definition, request, callOptions);
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
        lifecycle.assertStarted(`serve ${String(service)}`);
        const { processor, prefetch } = requestServerOf(settings, service, catalog, handlers, serveOptions);
        return startConsumer(broker.queue(rpcQueue(service)), prefetch, async (message) => {
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

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
import { messageHandlersOf, rpcHandlersOf } from '../core/handler-maps';
import { outgoingEnvelope } from '../core/outgoing-envelope';
import { resolveRetryPolicy } from '../core/retry-policy';
import { describeIssues } from '../core/zod-details';
import { observeBus } from '../telemetry/observed-bus';
import { BusUnavailableError } from '../errors';
import { AmqpConnection } from './amqp-connection';
import { AmqpConsumer } from './amqp-consumer';
import type { ConsumerSpec } from './amqp-consumer';
import { messageConsumerSpec } from './message-consumer-spec';
import { Publisher } from './publisher';
import { readDeadLetters } from './read-dead-letters';
import { requestServerSpec } from './request-server-spec';
import { RpcClient } from './rpc-client';

export interface AmqpBusOptions extends BusOptions {
  /** amqp://user:password@host:port/vhost */
  url: string;
  /** x-delivery-limit of every quorum queue (20): deliveries that end without an ack before the broker dead-letters. */
  deliveryLimit?: number;
  /** Publishes awaiting their confirm at once (1024); further publishes wait for a slot. */
  publishWindow?: number;
  /** Reconnect backoff: first delay (100 ms), doubling with jitter up to the cap (10000 ms). */
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
  /** start() fails when no connection is made within this time (10000 ms). */
  connectTimeoutMs?: number;
  /** AMQP heartbeat (15 s): how soon a silently dead connection is noticed. */
  heartbeatSeconds?: number;
  /** Shown in the broker's connection list (`overcast-<namespace>`). */
  connectionName?: string;
}

type State = 'new' | 'starting' | 'started' | 'stopping' | 'stopped';

function assertAmqpUrl(url: unknown): void {
  let protocol: string | undefined;
  try {
    protocol = new URL(String(url)).protocol;
  } catch {
    protocol = undefined;
  }
  if (typeof url !== 'string' || (protocol !== 'amqp:' && protocol !== 'amqps:')) {
    throw new TypeError('url must be an amqp:// or amqps:// URL');
  }
}

/** The RabbitMQ transport (amqplib): confirmed publishes, quorum queues, retries through delay queues. */
export function createAmqpBus(options: AmqpBusOptions): Bus {
  assertAmqpUrl(options.url);
  const namespace = assertValidName('namespace', options.namespace ?? 'overcast');
  const logger = options.logger ?? silentLogger;
  const context = options.context ?? noMessageContext;
  const defaultRetry = resolveRetryPolicy(options.retry);
  const prefetch = assertPositiveInteger('prefetch', options.prefetch ?? defaultPrefetch);
  const rpcTimeoutMs = assertPositiveInteger('rpcTimeoutMs', options.rpcTimeoutMs ?? defaultRpcTimeoutMs);
  const deliveryLimit = assertPositiveInteger('deliveryLimit', options.deliveryLimit ?? 20);
  const runtime = { context, logger, metrics: options.metrics ?? noBusMetrics };

  const connection = new AmqpConnection({
    url: options.url,
    connectionName: options.connectionName ?? `overcast-${namespace}`,
    heartbeatSeconds: options.heartbeatSeconds ?? 15,
    initialReconnectDelayMs: options.reconnect?.initialDelayMs ?? 100,
    maxReconnectDelayMs: options.reconnect?.maxDelayMs ?? 10_000,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    logger,
  });
  const publishWindow = assertPositiveInteger('publishWindow', options.publishWindow ?? 1024);
  const publisher = new Publisher(namespace, publishWindow, connection, logger);
  const rpcClient = new RpcClient(namespace, connection, logger);
  const consumers = new Set<AmqpConsumer>();
  let state: State = 'new';

  function assertStarted(action: string): void {
    if (state !== 'started')
      throw new BusUnavailableError(`cannot ${action}: the bus is ${state === 'new' ? 'not started' : state}`);
  }

  async function startConsumer(spec: ConsumerSpec): Promise<Consumer> {
    const consumer = new AmqpConsumer(spec, connection, logger, (stopped) => consumers.delete(stopped));
    await consumer.start();
    consumers.add(consumer);
    return consumer;
  }

  return observeBus(
    {
      async start() {
        if (state !== 'new') throw new Error(`the bus was already started (${state})`);
        state = 'starting';
        connection.register(publisher.channel);
        connection.register(rpcClient.channel);
        try {
          await connection.open();
          const failed = [publisher.channel, rpcClient.channel].find((channel) => !channel.isOpen());
          if (failed) throw new BusUnavailableError('could not open the bus channels', failed.lastError);
        } catch (error) {
          state = 'stopped';
          await Promise.all([publisher.channel.close(), rpcClient.channel.close()]);
          await connection.close();
          throw error;
        }
        state = 'started';
      },

      async stop() {
        if (state === 'stopped' || state === 'stopping') return;
        state = 'stopping';
        // Consumers first: their in-flight handlers may still publish and call.
        await Promise.all([...consumers].map((consumer) => consumer.stop()));
        rpcClient.failAll(new BusUnavailableError('the bus stopped before the reply came'));
        await publisher.idle();
        await Promise.all([publisher.channel.close(), rpcClient.channel.close()]);
        await connection.close();
        state = 'stopped';
        logger.info({ namespace }, 'bus stopped');
      },

      isReady: () =>
        state === 'started' &&
        connection.current() !== undefined &&
        publisher.channel.isOpen() &&
        rpcClient.channel.isOpen(),

      async publish(definition, payload, messageContext) {
        assertStarted(`publish ${definition.type}`);
        const envelope = outgoingEnvelope(definition, definition.schema, payload, messageContext, context);
        await publisher.publishEnvelope(definition.kind, envelope);
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
        await publisher.publishEnvelope(kind, envelope);
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
        return startConsumer(
          messageConsumerSpec({ namespace, processor, prefetch: consumerPrefetch, deliveryLimit, publisher, runtime }),
        );
      },

      async call(definition, request, callOptions) {
        assertStarted(`call ${definition.type}`);
        const timeoutMs = assertPositiveInteger('timeoutMs', callOptions?.timeoutMs ?? rpcTimeoutMs);
        const envelope = outgoingEnvelope(definition, definition.request, request, callOptions?.context, context);
        return (await rpcClient.call(definition, envelope, timeoutMs)) as never;
      },

      async serve(service, catalog, handlers, serveOptions) {
        assertStarted(`serve ${String(service)}`);
        const processor = {
          service: assertValidName('service', service),
          catalog,
          handlers: rpcHandlersOf(service, catalog, handlers),
        };
        const serverPrefetch = assertPositiveInteger('prefetch', serveOptions?.prefetch ?? prefetch);
        return startConsumer(requestServerSpec({ namespace, processor, prefetch: serverPrefetch, runtime }));
      },

      async readDeadLetters(queue, limit = 100) {
        assertStarted('read dead letters');
        const model = connection.current();
        if (!model) throw new BusUnavailableError('not connected to the broker');
        return readDeadLetters(
          model,
          namespace,
          assertValidName('queue', queue),
          assertPositiveInteger('limit', limit),
          logger,
        );
      },
    },
    runtime.metrics,
  );
}

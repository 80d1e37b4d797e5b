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
  const settings = resolveBusSettings(options);
  const { namespace, logger, runtime } = settings;
  const deliveryLimit = assertPositiveInteger('deliveryLimit', options.deliveryLimit ?? 20);

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
  const lifecycle = new BusLifecycle();

  async function startConsumer(spec: ConsumerSpec): Promise<Consumer> {
    const consumer = new AmqpConsumer(spec, connection, logger, (stopped) => consumers.delete(stopped));
    await consumer.start();
    consumers.add(consumer);
    return consumer;
  }

  return observeBus(
    {
      async start() {
        lifecycle.beginStart();
        connection.register(publisher.channel);
        connection.register(rpcClient.channel);
        try {
          await connection.open();
          const failed = [publisher.channel, rpcClient.channel].find((channel) => !channel.isOpen());
          if (failed) throw new BusUnavailableError('could not open the bus channels', failed.lastError);
        } catch (error) {
          lifecycle.state = 'stopped';
          await Promise.all([publisher.channel.close(), rpcClient.channel.close()]);
          await connection.close();
          throw error;
        }
        lifecycle.state = 'started';
      },

      async stop() {
        if (!lifecycle.beginStop()) return;
        // Consumers first: their in-flight handlers may still publish and call.
        await Promise.all([...consumers].map((consumer) => consumer.stop()));
        rpcClient.failAll(new BusUnavailableError('the bus stopped before the reply came'));
        await publisher.idle();
        await Promise.all([publisher.channel.close(), rpcClient.channel.close()]);
        await connection.close();
        lifecycle.state = 'stopped';
        logger.info({ namespace }, 'bus stopped');
      },

      isReady: () =>
        lifecycle.started &&
        connection.current() !== undefined &&
        publisher.channel.isOpen() &&
        rpcClient.channel.isOpen(),

      async publish(definition, payload, messageContext) {
        lifecycle.assertStarted(`publish ${definition.type}`);
        const envelope = envelopeToPublish(settings, definition, payload, messageContext);
        await publisher.publishEnvelope(definition.kind, envelope);
        return envelope as Envelope<typeof payload>;
      },

      async publishEnvelope(kind, envelope) {
        lifecycle.assertStarted(`publish ${String(envelope?.type)}`);
        assertPublishableEnvelope(kind, envelope);
        await publisher.publishEnvelope(kind, envelope);
      },

      async consume(queue, catalog, handlers, consumeOptions) {
        lifecycle.assertStarted(`consume ${String(queue)}`);
        const { processor, prefetch } = messageConsumerOf(settings, queue, catalog, handlers, consumeOptions);
        return startConsumer(
          messageConsumerSpec({ namespace, processor, prefetch, deliveryLimit, publisher, runtime }),
        );
      },

      async call(definition, request, callOptions) {
        lifecycle.assertStarted(`call ${definition.type}`);
        const { envelope, timeoutMs } = outgoingCall(settings, definition, request, callOptions);
        return (await rpcClient.call(definition, envelope, timeoutMs)) as never;
      },

      async serve(service, catalog, handlers, serveOptions) {
        lifecycle.assertStarted(`serve ${String(service)}`);
        const { processor, prefetch } = requestServerOf(settings, service, catalog, handlers, serveOptions);
        return startConsumer(requestServerSpec({ namespace, processor, prefetch, runtime }));
      },

      async readDeadLetters(queue, limit = 100) {
        lifecycle.assertStarted('read dead letters');
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

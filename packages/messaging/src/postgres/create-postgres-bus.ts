import type { Envelope } from '@overcast/contracts';
import type { Bus, Consumer } from '../bus';
import { assertPositiveInteger, assertValidName } from '../bus-options';
import { BusLifecycle } from '../core/bus-lifecycle';
import {
  assertPublishableEnvelope,
  envelopeToPublish,
  messageConsumerOf,
  outgoingCall,
  requestServerOf,
} from '../core/bus-requests';
import { InFlight } from '../core/in-flight';
import { describeError } from '../core/parse-envelope';
import { observeBus } from '../telemetry/observed-bus';
import { BusUnavailableError, UnroutableMessageError } from '../errors';
import { BusListener } from './bus-listener';
import { createBusPools } from './bus-pools';
import { ensureBusSchema } from './bus-schema';
import { ClaimingConsumer } from './claiming-consumer';
import type { WakeableConsumer } from './claiming-consumer';
import { LeaseKeeper } from './lease-keeper';
import { messageClaimSpec } from './message-claim-spec';
import { MessageStore } from './message-store';
import type { ClaimedMessage, Publication, Settlement } from './message-store';
import { PerTurnStatement } from './per-turn-statement';
import { resolvePostgresBusOptions } from './postgres-bus-options';
import type { PostgresBusOptions } from './postgres-bus-options';
import { requestClaimSpec } from './request-claim-spec';
import { RequestStore } from './request-store';
import type { OutgoingReply } from './request-store';
import { RpcCaller } from './rpc-caller';

/** Statements per round trip at most for batched publishes, settles and replies. */
const maxBatch = 500;

/**
 * The Postgres transport: durable queues in tables, claimed with FOR UPDATE SKIP LOCKED under a lease, woken by
 * LISTEN/NOTIFY. A publish resolves once its row committed, so acknowledged work survives a crash of the process.
 */
export function createPostgresBus(options: PostgresBusOptions): Bus {
  const { settings, names, leaseMs, pollIntervalMs, connection, maxConnections } = resolvePostgresBusOptions(options);
  const { namespace, logger, runtime } = settings;
  const pools = createBusPools(connection, maxConnections, logger);
  const messages = new MessageStore(pools, names);
  const requests = new RequestStore(pools.asyncCommit, names);
  const publications = new PerTurnStatement<Publication, boolean>(maxBatch, (batch) => messages.publish(batch));
  const settles = new PerTurnStatement<Settlement, boolean>(maxBatch, (batch) => messages.settle(batch));
  const replies = new PerTurnStatement<OutgoingReply, void>(maxBatch, async (batch) => {
    await requests.reply(batch);
    return batch.map(() => undefined);
  });
  const consumers = new Set<WakeableConsumer>();
  const wakeAll = (): void => consumers.forEach((consumer) => consumer.wake());
  const listener = new BusListener({
    config: connection,
    channels: [names.wakeChannel, names.replyChannel],
    logger,
    onNotification(channel, payload) {
      if (channel === names.replyChannel) return caller.onReply(payload);
      for (const consumer of consumers) if (consumer.queue === payload) consumer.wake();
    },
    onConnected() {
      wakeAll();
      // After a reconnect only: start() releases orphaned leases itself, and fails if it cannot.
      if (lifecycle.started) void keeper.keepNow();
    },
    onLost: () => caller.failAll(new BusUnavailableError('connection to the database lost before the reply came')),
  });
  const caller = new RpcCaller(requests, () => listener.connected, logger);
  const leased = new Set<ClaimedMessage>();
  const leaseOwner = () => listener.leaseOwner;
  const keeper = new LeaseKeeper({ messages, requests, leased, leaseMs, leaseOwner, onReleased: wakeAll, logger });
  const publishesInFlight = new InFlight();
  const lifecycle = new BusLifecycle();

  async function route(kind: 'command' | 'event', envelope: Envelope): Promise<void> {
    const published = publications.run({
      exchange: names.exchange(kind),
      routingKey: envelope.type,
      body: JSON.stringify(envelope),
    });
    publishesInFlight.track(published.then(() => undefined));
    const routed = await published.catch((error: unknown) => {
      throw new BusUnavailableError(`could not publish ${envelope.type}: ${describeError(error)}`, error);
    });
    if (kind === 'command' && !routed) throw new UnroutableMessageError(envelope.type);
  }

  async function bind(exchange: string, routingKeys: string[], queue: string): Promise<void> {
    await messages.bind(exchange, routingKeys, queue).catch((error: unknown) => {
      throw new BusUnavailableError(`could not bind ${queue}: ${describeError(error)}`, error);
    });
  }

  function startConsumer(consumer: WakeableConsumer): Consumer {
    consumers.add(consumer);
    consumer.wake();
    logger.info({ consumer: consumer.queue }, 'consumer started');
    return consumer;
  }

  return observeBus(
    {
      async start() {
        lifecycle.beginStart();
        try {
          await ensureBusSchema(pools.durable, names);
          await listener.start();
          await keeper.releaseOrphanedLeases();
        } catch (error) {
          lifecycle.state = 'stopped';
          await listener.close();
          await pools.end().catch(() => undefined);
          throw new BusUnavailableError(`could not start the bus on Postgres: ${describeError(error)}`, error);
        }
        keeper.start();
        lifecycle.state = 'started';
        logger.info({ namespace, schema: names.schema }, 'bus started');
      },

      async stop() {
        if (!lifecycle.beginStop()) return;
        // Consumers first: their in-flight handlers may still publish and call.
        await Promise.all([...consumers].map((consumer) => consumer.stop()));
        caller.failAll(new BusUnavailableError('the bus stopped before the reply came'));
        await publishesInFlight.drain();
        await keeper.stop();
        await listener.close();
        await pools.end();
        lifecycle.state = 'stopped';
        logger.info({ namespace, schema: names.schema }, 'bus stopped');
      },

      isReady: () => lifecycle.started && listener.connected,

      async publish(definition, payload, messageContext) {
        lifecycle.assertStarted(`publish ${definition.type}`);
        const envelope = envelopeToPublish(settings, definition, payload, messageContext);
        await route(definition.kind, envelope);
        return envelope as Envelope<typeof payload>;
      },

      async publishEnvelope(kind, envelope) {
        lifecycle.assertStarted(`publish ${String(envelope?.type)}`);
        assertPublishableEnvelope(kind, envelope);
        await route(kind, envelope);
      },

      async consume(queue, catalog, handlers, consumeOptions) {
        lifecycle.assertStarted(`consume ${String(queue)}`);
        const { processor, prefetch } = messageConsumerOf(settings, queue, catalog, handlers, consumeOptions);
        const boundQueue = names.workQueue(queue);
        const definitions = Object.values(catalog);
        for (const kind of ['command', 'event'] as const) {
          const types = definitions
            .filter((definition) => definition.kind === kind)
            .map((definition) => definition.type);
          if (types.length > 0) await bind(names.exchange(kind), types, boundQueue);
        }
        const consumer: ClaimingConsumer<ClaimedMessage> = new ClaimingConsumer(
          messageClaimSpec({
            queue: boundQueue,
            processor,
            prefetch,
            store: messages,
            settles,
            leased,
            leaseMs,
            leaseOwner,
            isRunning: () => lifecycle.started,
            retryDueIn: (delayMs) => consumer.wakeIn(delayMs),
            runtime,
          }),
          pollIntervalMs,
          logger,
          (stopped) => consumers.delete(stopped),
        );
        return startConsumer(consumer);
      },

      async call(definition, request, callOptions) {
        lifecycle.assertStarted(`call ${definition.type}`);
        const { envelope, timeoutMs } = outgoingCall(settings, definition, request, callOptions);
        return (await caller.call(definition, envelope, timeoutMs)) as never;
      },

      async serve(service, catalog, handlers, serveOptions) {
        lifecycle.assertStarted(`serve ${String(service)}`);
        const { processor, prefetch } = requestServerOf(settings, service, catalog, handlers, serveOptions);
        const queue = names.rpcQueue(service);
        await bind(names.exchange('rpc'), [service], queue);
        const spec = requestClaimSpec({
          queue,
          processor,
          prefetch,
          store: requests,
          replies,
          runtime,
        });
        return startConsumer(
          new ClaimingConsumer(spec, pollIntervalMs, logger, (stopped) => consumers.delete(stopped)),
        );
      },

      async readDeadLetters(queue, limit = 100) {
        lifecycle.assertStarted('read dead letters');
        const checkedQueue = assertValidName('queue', queue);
        return messages.readDeadLetters(
          checkedQueue,
          names.workQueue(checkedQueue),
          assertPositiveInteger('limit', limit),
        );
      },
    },
    runtime.metrics,
  );
}

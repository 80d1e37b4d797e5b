import { testAmqpUrl, uniqueName } from '@overcast/test-kit';
import { connect } from 'amqplib';
import type { Channel } from 'amqplib';
import { createAmqpBus, deleteAmqpTopology } from '../src';
import type { AmqpBusOptions, Bus } from '../src';
import { names } from '../src/amqp/topology';
import type { BusHarness } from './contract/harness';
import { stopAll } from './contract/harness';
import { startTcpProxy } from './support/tcp-proxy';

/** Runs `work` on a direct connection to the broker (not through the proxy), for setup and cleanup. */
export async function withBrokerChannel<T>(work: (channel: Channel) => Promise<T>): Promise<T> {
  const connection = await connect(testAmqpUrl());
  connection.on('error', () => undefined);
  try {
    const channel = await connection.createChannel();
    channel.on('error', () => undefined);
    return await work(channel);
  } finally {
    await connection.close().catch(() => undefined);
  }
}

export interface AmqpHarness extends BusHarness {
  namespace: string;
  /** The proxy, for tests that cut the broker off by hand. */
  proxy: Awaited<ReturnType<typeof startTcpProxy>>;
}

/** Buses talk to the real broker through a loopback proxy of their own; every queue they declare is deleted afterwards. */
export async function setUpAmqpHarness(extra: Partial<AmqpBusOptions> = {}): Promise<AmqpHarness> {
  const brokerUrl = new URL(testAmqpUrl());
  const proxy = await startTcpProxy({ host: brokerUrl.hostname, port: Number(brokerUrl.port || 5672) });
  const proxiedUrl = new URL(brokerUrl);
  proxiedUrl.hostname = '127.0.0.1';
  proxiedUrl.port = String(proxy.port);
  const namespace = uniqueName('test');
  const buses: Bus[] = [];
  const queues = new Set<string>();
  const services = new Set<string>();

  return {
    namespace,
    proxy,
    async createBus(options = {}) {
      const bus = createAmqpBus({
        url: proxiedUrl.toString(),
        namespace,
        reconnect: { initialDelayMs: 50, maxDelayMs: 500 },
        // One delay queue unless a test asks for more: every quorum queue is a Raft log the shared broker keeps.
        retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 10 },
        ...extra,
        ...options,
      });
      await bus.start();
      buses.push(bus);
      const tracked: Bus = {
        ...bus,
        consume: ((queue, ...rest) => {
          queues.add(queue);
          return bus.consume(queue, ...rest);
        }) as Bus['consume'],
        serve: ((service, ...rest) => {
          services.add(service);
          return bus.serve(service, ...rest);
        }) as Bus['serve'],
      };
      return tracked;
    },
    async publishRaw(kind, type, body) {
      const exchange = kind === 'command' ? names.commandExchange(namespace) : names.eventExchange(namespace);
      await withBrokerChannel(async (channel) => {
        channel.publish(exchange, type, Buffer.from(body), { persistent: true });
        await channel.close();
      });
    },
    async restartBroker(downForMs) {
      await proxy.cut();
      await new Promise((resolve) => setTimeout(resolve, downForMs));
      await proxy.restore();
    },
    async cleanup() {
      await stopAll(buses);
      await proxy.close();
      await deleteAmqpTopology({ url: testAmqpUrl(), namespace, queues: [...queues], services: [...services] });
    },
  };
}

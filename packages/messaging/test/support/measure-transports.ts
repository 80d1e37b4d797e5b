import { defineCatalog } from '@overcast/contracts';
import { createTestDatabase, testAmqpUrl, uniqueName } from '@overcast/test-kit';
import { createAmqpBus, createMemoryBroker, createMemoryBus, createPostgresBus, deleteAmqpTopology } from '../../src';
import type { Bus } from '../../src';
import { QuoteShipping, ShipOrder } from '../contract/catalog';

/**
 * Publish→consume throughput and RPC round trip of the memory, Postgres and amqp transports, measured in one run on
 * this machine: `node --import tsx test/support/measure-transports.ts` (MEASURE_MESSAGES, MEASURE_CALLS).
 * Uses the test Postgres and RabbitMQ (DATABASE_URL, AMQP_URL or the loopback defaults).
 */
const messageCount = Number(process.env.MEASURE_MESSAGES ?? 10_000);
const callCount = Number(process.env.MEASURE_CALLS ?? 2000);

type BusPair = () => Promise<{ publisher: Bus; consumer: Bus; close(): Promise<void> }>;

async function throughput(pair: BusPair): Promise<number> {
  const { publisher, consumer, close } = await pair();
  try {
    let handled = 0;
    await consumer.consume(
      'shipping',
      defineCatalog(ShipOrder),
      { 'test.ship_order': async () => void (handled += 1) },
      { prefetch: 100 },
    );
    const started = performance.now();
    await Promise.all(
      Array.from({ length: messageCount }, (_, index) => publisher.publish(ShipOrder, { orderId: `o-${index}` })),
    );
    while (handled < messageCount) await new Promise((resolve) => setTimeout(resolve, 2));
    return Math.round((messageCount * 1000) / (performance.now() - started));
  } finally {
    await close();
  }
}

async function roundTrip(pair: BusPair): Promise<{ p50: number; p99: number }> {
  const { publisher: caller, consumer: service, close } = await pair();
  try {
    await service.serve('shipping', defineCatalog(QuoteShipping), {
      'test.quote_shipping': async ({ orderId }) => ({ orderId, priceCents: 1 }),
    });
    for (let warmup = 0; warmup < 100; warmup += 1)
      await caller.call(QuoteShipping, { orderId: 'warmup', weightKg: 1 });
    const latencies: number[] = [];
    for (let call = 0; call < callCount; call += 1) {
      const started = performance.now();
      await caller.call(QuoteShipping, { orderId: `o-${call}`, weightKg: 1 });
      latencies.push(performance.now() - started);
    }
    latencies.sort((a, b) => a - b);
    const at = (fraction: number) =>
      latencies[Math.min(latencies.length - 1, Math.ceil(fraction * latencies.length) - 1)] ?? Number.NaN;
    return { p50: at(0.5), p99: at(0.99) };
  } finally {
    await close();
  }
}

async function startBoth(create: () => Bus): Promise<{ publisher: Bus; consumer: Bus; close(): Promise<void> }> {
  const [publisher, consumer] = [create(), create()];
  await Promise.all([publisher.start(), consumer.start()]);
  return { publisher, consumer, close: () => Promise.all([publisher.stop(), consumer.stop()]).then(() => undefined) };
}

async function main(): Promise<void> {
  const database = await createTestDatabase();
  try {
    const memory: BusPair = () => {
      const broker = createMemoryBroker();
      const namespace = uniqueName('measure');
      return startBoth(() => createMemoryBus({ broker, namespace, retry: { maxAttempts: 1 } }));
    };
    const postgres: BusPair = () => {
      const namespace = uniqueName('measure');
      return startBoth(() => createPostgresBus({ url: database.url, namespace, retry: { maxAttempts: 1 } }));
    };
    const amqpNamespaces: string[] = [];
    const amqp: BusPair = () => {
      const namespace = uniqueName('measure');
      amqpNamespaces.push(namespace);
      return startBoth(() => createAmqpBus({ url: testAmqpUrl(), namespace, retry: { maxAttempts: 1 } }));
    };
    for (const [name, pair] of [
      ['memory', memory],
      ['postgres', postgres],
      ['amqp', amqp],
    ] as const) {
      const rate = await throughput(pair);
      const { p50, p99 } = await roundTrip(pair);
      process.stdout.write(
        `${name.padEnd(9)} ${String(rate).padStart(7)} msg/s (${messageCount} published at once, prefetch 100)   RPC p50 ${p50.toFixed(2)} ms  p99 ${p99.toFixed(2)} ms (${callCount} sequential)\n`,
      );
    }
    for (const namespace of amqpNamespaces) {
      await deleteAmqpTopology({ url: testAmqpUrl(), namespace, queues: ['shipping'], services: ['shipping'] });
    }
  } finally {
    await database.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});

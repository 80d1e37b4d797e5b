import { defineCatalog } from '@overcast/contracts';
import { describeWithPostgres, waitFor } from '@overcast/test-kit';
import { createPostgresBus } from '../src';
import { describeBusContract } from './bus-contract';
import { QuoteShipping, ShipOrder } from './contract/catalog';
import { deferred } from './contract/harness';
import { postgresTestDatabase, setUpPostgresHarness, testSchema } from './postgres-harness';
import type { PostgresHarness } from './postgres-harness';
import { startStuckConsumer } from './support/stuck-consumer';

const shipping = defineCatalog(ShipOrder);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeWithPostgres('postgres transport', () => {
  const database = postgresTestDatabase();
  beforeAll(() => database.setUp());
  afterAll(() => database.tearDown());

  describeBusContract({ name: 'postgres', restart: true, setUp: () => setUpPostgresHarness(database.url()) });

  describe('durability', () => {
    let harness: PostgresHarness;
    beforeEach(async () => {
      harness = await setUpPostgresHarness(database.url());
    });
    afterEach(() => harness.cleanup());

    /** What the consumers of `shipping` received, per order id, with the redelivered flag of each delivery. */
    async function consumeShipping(prefetch = 16) {
      const received = new Map<string, boolean[]>();
      const bus = await harness.createBus();
      await bus.consume(
        'shipping',
        shipping,
        {
          'test.ship_order': async ({ orderId }, delivery) =>
            void received.set(orderId, [...(received.get(orderId) ?? []), delivery.redelivered]),
        },
        { prefetch },
      );
      return received;
    }

    it('routes a command through its durable binding while no consumer runs, and keeps it until one does', async () => {
      const first = await harness.createBus();
      await (await first.consume('shipping', shipping, { 'test.ship_order': async () => undefined })).stop();
      await first.stop();

      const publisher = await harness.createBus();
      await publisher.publish(ShipOrder, { orderId: 'while-nobody-consumes' });
      await publisher.stop();

      const received = await consumeShipping();
      await waitFor('the kept command', () => received.size === 1);
      expect([...received]).toEqual([['while-nobody-consumes', [false]]]);
    });

    it("gives a killed process's messages to another bus at once, marked redelivered, each exactly once", async () => {
      const stuck = await startStuckConsumer({
        url: database.url(),
        schema: testSchema,
        namespace: harness.namespace,
        prefetch: 5,
        leaseMs: 30_000,
        stuck: 'hang',
      });
      try {
        const publisher = await harness.createBus();
        await Promise.all(
          Array.from({ length: 8 }, (_, index) => publisher.publish(ShipOrder, { orderId: `o-${index}` })),
        );
        await waitFor('the stuck process to hold five messages', () => stuck.claimed.length === 5);
        await stuck.kill();

        const killedAt = Date.now();
        const received = await consumeShipping();
        await waitFor('all eight messages', () => received.size === 8);
        // Far sooner than the 30 s lease: the dead process's advisory lock went with its connection.
        expect(Date.now() - killedAt).toBeLessThan(5000);
        await sleep(300);
        for (let index = 0; index < 8; index += 1) {
          const orderId = `o-${index}`;
          expect(received.get(orderId)).toEqual([stuck.claimed.includes(orderId)]);
        }
      } finally {
        await stuck.kill();
      }
    });

    it("takes over a wedged process's messages once their lease runs out, not before", async () => {
      const stuck = await startStuckConsumer({
        url: database.url(),
        schema: testSchema,
        namespace: harness.namespace,
        prefetch: 3,
        leaseMs: 2000,
        stuck: 'spin',
      });
      try {
        const publisher = await harness.createBus();
        await Promise.all(['a', 'b', 'c'].map((orderId) => publisher.publish(ShipOrder, { orderId })));
        await waitFor('the wedged process to hold three messages', () => stuck.claimed.length === 3);
        const wedgedAt = Date.now();

        const received = await consumeShipping();
        await waitFor('the three messages after the lease', () => received.size === 3, { timeoutMs: 15_000 });
        expect(Date.now() - wedgedAt).toBeGreaterThanOrEqual(1500);
        expect(Object.fromEntries(received)).toEqual({ a: [true], b: [true], c: [true] });
      } finally {
        await stuck.kill();
      }
    });

    it('keeps a message from other consumers while its handler runs longer than the lease', async () => {
      const handled: string[] = [];
      const release = deferred();
      const slow = await harness.createBus({ leaseMs: 600 });
      await slow.consume('shipping', shipping, {
        'test.ship_order': async ({ orderId }, delivery) => {
          handled.push(`slow ${orderId} redelivered=${delivery.redelivered}`);
          await release.promise;
        },
      });
      await slow.publish(ShipOrder, { orderId: 'long' });
      await waitFor('the slow handler to start', () => handled.length === 1);
      const other = await harness.createBus({ leaseMs: 600, pollIntervalMs: 50 });
      await other.consume('shipping', shipping, {
        'test.ship_order': async ({ orderId }) => void handled.push(`other ${orderId}`),
      });

      await sleep(2000);
      release.resolve();
      await sleep(300);
      expect(handled).toEqual(['slow long redelivered=false']);
    });

    it('lets two buses compete for 2,000 messages with each handled exactly once', async () => {
      const counts = new Map<string, number>();
      const perBus = [0, 0];
      for (const index of [0, 1]) {
        const bus = await harness.createBus();
        await bus.consume(
          'shipping',
          shipping,
          {
            'test.ship_order': async ({ orderId }) => {
              counts.set(orderId, (counts.get(orderId) ?? 0) + 1);
              perBus[index] = (perBus[index] ?? 0) + 1;
            },
          },
          { prefetch: 20 },
        );
      }
      const publisher = await harness.createBus();
      const orderIds = Array.from({ length: 2000 }, (_, index) => `o-${index}`);
      await Promise.all(orderIds.map((orderId) => publisher.publish(ShipOrder, { orderId })));

      await waitFor('every message', () => counts.size === 2000, { timeoutMs: 30_000 });
      await sleep(500);
      expect([...counts.values()].every((count) => count === 1)).toBe(true);
      expect(perBus.every((handled) => handled > 0)).toBe(true);
      const left = await harness.directPool.query(
        `SELECT count(*)::int AS left FROM ${testSchema}.messages WHERE queue = $1`,
        [`${harness.namespace}.shipping`],
      );
      expect(left.rows).toEqual([{ left: 0 }]);
    });
  });

  describe('setup and shutdown', () => {
    let harness: PostgresHarness;
    beforeEach(async () => {
      harness = await setUpPostgresHarness(database.url());
    });
    afterEach(() => harness.cleanup());

    it('creates its schema once when two buses start on it at the same moment', async () => {
      const options = { url: database.url(), schema: `bus_${Date.now().toString(36)}`, namespace: harness.namespace };
      const buses = [createPostgresBus(options), createPostgresBus(options)];
      try {
        await Promise.all(buses.map((bus) => bus.start()));
        expect(buses.map((bus) => bus.isReady())).toEqual([true, true]);
      } finally {
        await Promise.all(buses.map((bus) => bus.stop()));
      }
    });

    it('stops within a second when idle, consumers and servers included', async () => {
      const bus = await harness.createBus();
      await bus.consume('shipping', shipping, { 'test.ship_order': async () => undefined });
      await bus.serve('shipping', defineCatalog(QuoteShipping), {
        'test.quote_shipping': async ({ orderId }) => ({ orderId, priceCents: 1 }),
      });
      await sleep(100);
      const started = Date.now();
      await bus.stop();
      expect(Date.now() - started).toBeLessThan(1000);
    });

    it('answers with a reply too large for a notification', async () => {
      const [service, caller] = [await harness.createBus(), await harness.createBus()];
      await service.serve('shipping', defineCatalog(QuoteShipping), {
        'test.quote_shipping': async ({ orderId }) => ({ orderId, priceCents: 7 }),
      });
      const orderId = 'x'.repeat(20_000);
      await expect(caller.call(QuoteShipping, { orderId, weightKg: 1 })).resolves.toEqual({ orderId, priceCents: 7 });
      const stored = await harness.directPool.query(`SELECT count(*)::int AS stored FROM ${testSchema}.replies`);
      expect(stored.rows).toEqual([{ stored: 0 }]);
    });
  });
});

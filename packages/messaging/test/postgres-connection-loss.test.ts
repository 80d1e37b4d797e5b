import { defineCatalog } from '@overcast/contracts';
import { describeWithPostgres, waitFor } from '@overcast/test-kit';
import { ShipOrder } from './contract/catalog';
import { postgresTestDatabase, setUpPostgresHarness, testSchema } from './postgres-harness';
import type { PostgresHarness } from './postgres-harness';

const shipping = defineCatalog(ShipOrder);

describeWithPostgres('postgres transport after a lost connection', () => {
  const database = postgresTestDatabase();
  let harness: PostgresHarness;
  beforeAll(() => database.setUp());
  afterAll(() => database.tearDown());
  beforeEach(async () => {
    harness = await setUpPostgresHarness(database.url());
  });
  afterEach(() => harness.cleanup());

  /**
   * The claim commits in Postgres but its answer never reaches the bus: the row is leased to the bus, which does not
   * know it has it. Far sooner than the 30 s lease, it must come back (redelivered), once the bus is reconnected.
   */
  it('gets back a message whose claim committed after its connection was cut', async () => {
    const bus = await harness.createBus();
    await (await bus.consume('shipping', shipping, { 'test.ship_order': async () => undefined })).stop();
    await bus.publish(ShipOrder, { orderId: 'lost' });

    // A table lock holds the claim inside Postgres, so the connection can be cut before the claim commits.
    const blocker = await harness.directPool.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(`LOCK TABLE ${testSchema}.messages IN SHARE MODE`);
      const received: boolean[] = [];
      await bus.consume('shipping', shipping, {
        'test.ship_order': async (_payload, delivery) => void received.push(delivery.redelivered),
      });
      await waitFor('the claim to wait for the table lock', async () => {
        const waiting = await harness.directPool.query(
          `SELECT 1 FROM pg_locks WHERE NOT granted AND relation = '${testSchema}.messages'::regclass`,
        );
        return waiting.rowCount === 1;
      });
      await harness.proxy.cut();
      await blocker.query('COMMIT');
      await waitFor('the cut-off claim to commit', async () => {
        const leased = await harness.directPool.query(
          `SELECT 1 FROM ${testSchema}.messages WHERE queue = $1 AND deliveries = 1 AND lease_owner IS NOT NULL AND available_at > now()`,
          [`${harness.namespace}.shipping`],
        );
        return leased.rowCount === 1;
      });
      await harness.proxy.restore();

      const restoredAt = Date.now();
      await waitFor('the message of the lost claim', () => received.length === 1, { timeoutMs: 10_000 });
      expect(Date.now() - restoredAt).toBeLessThan(5000);
      expect(received).toEqual([true]);
    } finally {
      await blocker.query('ROLLBACK').catch(() => undefined);
      blocker.release();
    }
  }, 30_000);
});

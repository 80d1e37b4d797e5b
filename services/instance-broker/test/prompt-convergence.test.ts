import { createInstanceRpc, getInstanceRpc } from '@overcast/contracts';
import { describeWithPostgres, waitFor } from '@overcast/test-kit';
import { createProviderRegistry } from '@overcast/providers';
import { createBrokerEnvironment, type BrokerEnvironment } from './support/broker-environment';
import { ObservedProvider } from './support/observed-provider';

describeWithPostgres('prompt convergence after a create', () => {
  let environment: BrokerEnvironment;
  // Boots in 30 ms: the create answers `starting`, the instance runs soon after.
  const fake = new ObservedProvider({ bootMs: 30 });

  beforeAll(async () => {
    environment = await createBrokerEnvironment();
    // The sweeps run once at start and not again during the test: only the follow-up can converge the row.
    await environment.startReplica({
      providers: createProviderRegistry([fake]),
      config: { REFRESH_INTERVAL_MS: '3600000', REAPER_INTERVAL_MS: '3600000' },
    });
    await waitFor('the start-up refresh', () => fake.listings.refresh >= 1);
  });

  afterAll(async () => {
    await environment?.close();
  });

  it('reaches running without waiting for the periodic refresh', async () => {
    const { client } = environment;
    const listingsBefore = fake.listings.refresh;
    const created = await client.call(createInstanceRpc, { tenantId: 't1', provider: 'fake', image: 'standard-image' });

    const running = await waitFor('the instance to run', async () => {
      const seen = await client.call(getInstanceRpc, { tenantId: 't1', id: created.id });
      return seen.state === 'running' ? seen : undefined;
    });

    expect(running.upstreamId).toBe((await fake.getInstance(created.id))?.upstreamId);
    expect(fake.listings.refresh).toBe(listingsBefore);
  });
});

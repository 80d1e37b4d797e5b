import { createInstanceRpc, getInstanceRpc, terminateInstanceRpc } from '@overcast/contracts';
import { describeWithPostgres, waitFor } from '@overcast/test-kit';
import { createProviderRegistry } from '@overcast/providers';
import { createBrokerEnvironment, type BrokerEnvironment } from './support/broker-environment';
import { ObservedProvider } from './support/observed-provider';

const maxAttempts = 3;

describeWithPostgres('refresh (the reconciler)', () => {
  let environment: BrokerEnvironment;
  const first = new ObservedProvider({ name: 'fake-a' });
  const second = new ObservedProvider({ name: 'fake-b' });

  beforeAll(async () => {
    environment = await createBrokerEnvironment();
    // The reaper runs once at start and then stays out of the way, so listings are the refresh's.
    await environment.startReplica({
      providers: createProviderRegistry([first, second]),
      config: {
        REAPER_INTERVAL_MS: '3600000',
        JOB_MAX_ATTEMPTS: String(maxAttempts),
        JOB_RETRY_BASE_DELAY_MS: '10',
        JOB_RETRY_MAX_DELAY_MS: '50',
      },
    });
  });

  afterAll(async () => {
    await environment?.close();
  });

  async function runningOn(provider: string, tenantId: string) {
    const { client } = environment;
    const created = await client.call(createInstanceRpc, { tenantId, provider, image: 'standard-image' });
    await waitFor(
      'running',
      async () => (await client.call(getInstanceRpc, { tenantId, id: created.id })).state === 'running',
    );
    return created;
  }

  /** Resolves after a whole refresh of `provider` that started after this call, its row updates committed. */
  async function oneFullRefresh(provider: ObservedProvider): Promise<void> {
    const before = provider.listings.refresh;
    // A listing in flight now may have started before; the one after it certainly did not. A listing is
    // counted when it returns, before the refresh writes what it saw: the run that made listing `before + 2`
    // has committed its updates only once the next run's listing (one per provider per run) is done.
    await waitFor('a full refresh', () => provider.listings.refresh >= before + 3);
  }

  it("marks an instance terminated behind Overcast's back within one refresh period", async () => {
    const instance = await runningOn('fake-a', 't1');
    first.fake.vanish(instance.id);
    await oneFullRefresh(first);
    const seen = await environment.client.call(getInstanceRpc, { tenantId: 't1', id: instance.id });
    expect(seen.state).toBe('terminated');
  });

  it('converges every vanished instance of a provider in one refresh', async () => {
    const instances = await Promise.all(['a', 'b', 'c'].map(() => runningOn('fake-a', 't4')));
    for (const instance of instances) first.fake.vanish(instance.id);
    await oneFullRefresh(first);
    for (const instance of instances) {
      const seen = await environment.client.call(getInstanceRpc, { tenantId: 't4', id: instance.id });
      expect(seen.state).toBe('terminated');
    }
  });

  it("never marks one provider's terminating instances terminated from another provider's listing", async () => {
    const instance = await runningOn('fake-a', 't2');
    // Every attempt of this termination fails: the row stays terminating (until the reaper drives it again).
    const attempts = first.fake.calls.terminateInstance;
    first.fake.failNext('terminateInstance', { times: maxAttempts });
    await environment.client.call(terminateInstanceRpc, { tenantId: 't2', id: instance.id });
    await waitFor(
      'every termination attempt to fail',
      () => first.fake.calls.terminateInstance >= attempts + maxAttempts,
    );
    await oneFullRefresh(second); // fake-b does not list it: cloud-brain marked it terminated here
    await oneFullRefresh(first);
    const seen = await environment.client.call(getInstanceRpc, { tenantId: 't2', id: instance.id });
    expect(seen.state).toBe('terminating');
  });

  it('keeps refreshing the healthy providers while one fails', async () => {
    const instance = await runningOn('fake-b', 't3');
    first.failListing = true;
    try {
      second.fake.vanish(instance.id);
      await oneFullRefresh(second);
      const seen = await environment.client.call(getInstanceRpc, { tenantId: 't3', id: instance.id });
      expect(seen.state).toBe('terminated');
    } finally {
      first.failListing = false;
    }
  });
});

import { createInstanceRpc, getInstanceRpc, terminateInstanceRpc } from '@overcast/contracts';
import { describeWithServices, waitFor } from '@overcast/test-kit';
import { createBrokerEnvironment, directoryOf, type BrokerEnvironment } from './support/broker-environment';
import { TestFakeProvider } from './support/test-fake-provider';

describeWithServices('refresh (the reconciler)', () => {
  let environment: BrokerEnvironment;
  const first = new TestFakeProvider({ name: 'fake-a' });
  const second = new TestFakeProvider({ name: 'fake-b' });

  beforeAll(async () => {
    environment = await createBrokerEnvironment('amqp');
    // The reaper runs once at start and then stays out of the way, so listings are the refresh's.
    await environment.startReplica({ providers: directoryOf(first, second), config: { reaperIntervalMs: 3_600_000 } });
  });

  afterAll(async () => {
    await environment?.close();
  });

  async function runningOn(provider: string, tenantId: string) {
    const { client } = environment;
    const created = await client.call(createInstanceRpc, { tenantId, provider, image: 'standard-image' });
    await waitFor('running', async () => (await client.call(getInstanceRpc, { tenantId, id: created.id })).state === 'running');
    return created;
  }

  /** Resolves after a whole refresh of `provider` that started after this call. */
  async function oneFullRefresh(provider: TestFakeProvider): Promise<void> {
    const before = provider.listings.refresh;
    // A listing in flight now may have started before; the one after it certainly did not.
    await waitFor('a full refresh', () => provider.listings.refresh >= before + 2);
  }

  it('marks an instance terminated behind Overcast\'s back within one refresh period', async () => {
    const instance = await runningOn('fake-a', 't1');
    first.vanish(instance.id);
    await oneFullRefresh(first);
    const seen = await environment.client.call(getInstanceRpc, { tenantId: 't1', id: instance.id });
    expect(seen.state).toBe('terminated');
  });

  it('never marks one provider\'s terminating instances terminated from another provider\'s listing', async () => {
    const instance = await runningOn('fake-a', 't2');
    first.failTerminate = true; // the termination stays in flight: the row stays terminating
    try {
      await environment.client.call(terminateInstanceRpc, { tenantId: 't2', id: instance.id });
      await oneFullRefresh(second); // fake-b does not list it (cloud-brain terminated it here)
      await oneFullRefresh(first);
      const seen = await environment.client.call(getInstanceRpc, { tenantId: 't2', id: instance.id });
      expect(seen.state).toBe('terminating');
    } finally {
      first.failTerminate = false;
    }
  });

  it('keeps refreshing the healthy providers while one fails', async () => {
    const instance = await runningOn('fake-b', 't3');
    first.failListing = true;
    try {
      second.vanish(instance.id);
      await oneFullRefresh(second);
      const seen = await environment.client.call(getInstanceRpc, { tenantId: 't3', id: instance.id });
      expect(seen.state).toBe('terminated');
    } finally {
      first.failListing = false;
    }
  });
});

import { OVERCAST_ID_TAG } from '@overcast/providers';
import { createInstanceRpc, getInstanceRpc } from '@overcast/contracts';
import { randomUUID } from 'node:crypto';
import { describeWithPostgres, waitFor } from '@overcast/test-kit';
import { createProviderRegistry } from '@overcast/providers';
import { createBrokerEnvironment, type BrokerEnvironment } from './support/broker-environment';
import { ObservedProvider } from './support/observed-provider';

const day = 24 * 3_600_000;

describeWithPostgres('refresh and reaper across two replicas', () => {
  let environment: BrokerEnvironment;

  beforeAll(async () => {
    environment = await createBrokerEnvironment();
  });

  afterAll(async () => {
    await environment?.close();
  });

  it('never runs refresh or reaper on two replicas at once, and hands them over when a replica stops', async () => {
    const fake = new ObservedProvider();
    fake.listDelayMs = 30; // long enough that overlapping runs would be seen
    const providers = createProviderRegistry([fake]);
    const config = { REFRESH_INTERVAL_MS: '20', REAPER_INTERVAL_MS: '20' };
    const one = await environment.startReplica({ providers, config });
    const two = await environment.startReplica({ providers, config });
    await waitFor('runs on both replicas', () => fake.listings.refresh >= 6 && fake.listings.reaper >= 6);
    await one.stop();
    const { refresh, reaper } = fake.listings;
    await waitFor(
      'the other replica to carry on',
      () => fake.listings.refresh >= refresh + 4 && fake.listings.reaper >= reaper + 4,
    );
    await two.stop();
    expect(fake.maxConcurrentListings.refresh).toBe(1);
    expect(fake.maxConcurrentListings.reaper).toBe(1);
  });
});

describeWithPostgres('the reaper', () => {
  let environment: BrokerEnvironment;
  const fake = new ObservedProvider();

  beforeAll(async () => {
    environment = await createBrokerEnvironment();
    await environment.startReplica({
      providers: createProviderRegistry([fake]),
      config: { REAPER_GRACE_PERIOD_MS: '60000' },
    });
  });

  afterAll(async () => {
    await environment?.close();
  });

  async function reaperRuns(count: number): Promise<void> {
    const before = fake.listings.reaper;
    await waitFor(`${count} reaper runs`, () => fake.listings.reaper >= before + count);
  }

  /** Runs `work` with the provider's clock a day behind: what it creates meanwhile is a day old. */
  async function aDayAgo<T>(work: () => Promise<T>): Promise<T> {
    fake.clockOffsetMs = -day;
    try {
      return await work();
    } finally {
      fake.clockOffsetMs = 0;
    }
  }

  it('terminates an Overcast-tagged instance without a row once past the grace period', async () => {
    const orphan = randomUUID();
    await aDayAgo(() => fake.createInstance({ id: orphan, image: 'standard-image', instanceType: 'standard' }));
    await waitFor('the orphan to be reaped', async () => (await fake.stateOf(orphan)) === 'terminated');
  });

  it('spares young orphans, untagged instances and instances with a live row', async () => {
    const young = randomUUID();
    await fake.createInstance({ id: young, image: 'standard-image', instanceType: 'standard' });
    const untagged = randomUUID();
    fake.addUntagged(untagged, new Date(Date.now() - day));
    const { client } = environment;
    const live = await aDayAgo(async () => {
      const created = await client.call(createInstanceRpc, {
        tenantId: 't1',
        provider: 'fake',
        image: 'standard-image',
      });
      await waitFor(
        'running',
        async () => (await client.call(getInstanceRpc, { tenantId: 't1', id: created.id })).state === 'running',
      );
      return created;
    });
    expect((await fake.getInstance(live.id))?.tags[OVERCAST_ID_TAG]).toBe(live.id);

    await reaperRuns(3);
    expect(await fake.stateOf(young)).toBe('running');
    expect(await fake.stateOf(live.id)).toBe('running');
    expect(fake.terminated).not.toContain(untagged);
  });

  it('terminates the leftover of a create that ended errored', async () => {
    const { client } = environment;
    // The VM gets made, then the provider answers a permanent error: the row ends errored.
    fake.fake.failNext('createInstance', { kind: 'lost-response', retryable: false });
    const created = await aDayAgo(async () => {
      const instance = await client.call(createInstanceRpc, {
        tenantId: 't2',
        provider: 'fake',
        image: 'standard-image',
      });
      await waitFor(
        'errored',
        async () => (await client.call(getInstanceRpc, { tenantId: 't2', id: instance.id })).state === 'errored',
      );
      return instance;
    });
    await waitFor('the leftover to be reaped', async () => (await fake.stateOf(created.id)) === 'terminated');
  });
});

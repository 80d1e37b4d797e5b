import { OVERCAST_ID_TAG } from '@overcast/providers';
import { createInstanceRpc, getInstanceRpc } from '@overcast/contracts';
import { randomUUID } from 'node:crypto';
import { describeWithServices, waitFor } from '@overcast/test-kit';
import { createBrokerEnvironment, directoryOf, type BrokerEnvironment } from './support/broker-environment';
import { TestFakeProvider } from './support/test-fake-provider';

const longAgo = new Date(Date.now() - 24 * 3_600_000);

describeWithServices('refresh and reaper across two replicas', () => {
  let environment: BrokerEnvironment;

  beforeAll(async () => {
    environment = await createBrokerEnvironment('amqp');
  });

  afterAll(async () => {
    await environment?.close();
  });

  it('never runs refresh or reaper on two replicas at once, and hands them over when a replica stops', async () => {
    const fake = new TestFakeProvider();
    fake.listDelayMs = 30; // long enough that overlapping runs would be seen
    const providers = directoryOf(fake);
    const config = { refreshIntervalMs: 20, reaperIntervalMs: 20 };
    const one = await environment.startReplica({ providers, config });
    const two = await environment.startReplica({ providers, config });
    await waitFor('runs on both replicas', () => fake.listings.refresh >= 6 && fake.listings.reaper >= 6);
    await one.stop();
    const { refresh, reaper } = fake.listings;
    await waitFor('the other replica to carry on', () => fake.listings.refresh >= refresh + 4 && fake.listings.reaper >= reaper + 4);
    await two.stop();
    expect(fake.maxConcurrentListings.refresh).toBe(1);
    expect(fake.maxConcurrentListings.reaper).toBe(1);
  });
});

describeWithServices('the reaper', () => {
  let environment: BrokerEnvironment;
  const fake = new TestFakeProvider();

  beforeAll(async () => {
    environment = await createBrokerEnvironment('amqp');
    await environment.startReplica({ providers: directoryOf(fake), config: { reaperGraceMs: 60_000 } });
  });

  afterAll(async () => {
    await environment?.close();
  });

  async function reaperRuns(count: number): Promise<void> {
    const before = fake.listings.reaper;
    await waitFor(`${count} reaper runs`, () => fake.listings.reaper >= before + count);
  }

  it('terminates an Overcast-tagged instance without a row once past the grace period', async () => {
    const orphan = randomUUID();
    fake.addOrphan(orphan, longAgo);
    await waitFor('the orphan to be reaped', () => fake.instances.get(orphan)?.state === 'terminated');
  });

  it('spares young orphans, untagged instances and instances with a live row', async () => {
    const young = randomUUID();
    fake.addOrphan(young, new Date(Date.now() + 3_600_000));
    const untagged = randomUUID();
    fake.addUntagged(untagged, longAgo);
    const { client } = environment;
    const live = await client.call(createInstanceRpc, { tenantId: 't1', provider: 'fake', image: 'standard-image' });
    await waitFor('running', async () => (await client.call(getInstanceRpc, { tenantId: 't1', id: live.id })).state === 'running');
    fake.backdate(live.id, longAgo);

    await reaperRuns(3);
    expect(fake.instances.get(young)?.state).toBe('running');
    expect(fake.instances.get(untagged)).toMatchObject({ state: 'running', tags: {} });
    expect(fake.instances.get(live.id)?.state).toBe('running');
    expect(fake.instances.get(live.id)?.tags[OVERCAST_ID_TAG]).toBe(live.id);
  });

  it('terminates the leftover of a create that ended errored', async () => {
    const { client } = environment;
    fake.failPermanentlyAfterCreate = true; // the VM exists, the row ends errored
    try {
      const created = await client.call(createInstanceRpc, { tenantId: 't2', provider: 'fake', image: 'standard-image' });
      await waitFor('errored', async () => (await client.call(getInstanceRpc, { tenantId: 't2', id: created.id })).state === 'errored');
      fake.backdate(created.id, longAgo);
      await waitFor('the leftover to be reaped', () => fake.instances.get(created.id)?.state === 'terminated');
    } finally {
      fake.failPermanentlyAfterCreate = false;
    }
  });
});

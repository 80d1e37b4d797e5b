import { randomUUID } from 'node:crypto';
import { describeWithPostgres } from '@overcast/test-kit';
import type { BrokerStoreHandle } from '../src/data-access/broker-store';
import type { InstanceRecord } from '../src/domain/records';
import { openMigratedStore, type MigratedStore } from './support/migrated-store';

function instanceOf(tenantId: string): InstanceRecord {
  const now = new Date();
  return {
    id: randomUUID(),
    tenantId,
    provider: 'fake',
    image: 'debian-12',
    instanceType: 'standard',
    publicSshKey: null,
    state: 'creating',
    ipAddress: null,
    upstreamId: null,
    errorReason: null,
    env: 'staging',
    site: null,
    role: null,
    queue: null,
    instanceBuildId: null,
    createdAt: now,
    updatedAt: now,
  };
}

// Two builds starting at once each insert their instances in their own transaction. The instances once went
// through prisma-extension-kysely's `tx.$kysely`, which the extension assigns onto a transaction client that
// concurrent transactions share: a build's rows were written in whichever transaction began last, so they
// vanished when that one rolled back while their own build committed as started, with no instances.
describeWithPostgres('store transactions run concurrently', () => {
  let opened: MigratedStore;
  let store: BrokerStoreHandle;

  beforeAll(async () => {
    opened = await openMigratedStore();
    ({ store } = opened);
  });

  afterAll(() => opened?.close());

  it("writes each transaction's instances in that transaction, so one rolling back loses none of the other's", async () => {
    let bothOpen!: () => void;
    const opened = new Promise<void>((resolve) => (bothOpen = resolve));
    let entered = 0;
    const enter = async () => {
      entered += 1;
      if (entered === 2) bothOpen();
      await opened;
    };
    const kept = Array.from({ length: 3 }, () => instanceOf('kept'));
    const lost = Array.from({ length: 3 }, () => instanceOf('rolled-back'));
    const committing = store.transaction(async (tx) => {
      await enter();
      await tx.instances.insert(kept);
    });
    const rollingBack = store.transaction(async (tx) => {
      await enter();
      await committing;
      await tx.instances.insert(lost);
      throw new Error('this transaction rolls back');
    });
    await expect(rollingBack).rejects.toThrow('this transaction rolls back');
    await committing;
    expect((await store.instances.list('kept', {}, 100, null)).map((row) => row.id).sort()).toEqual(
      kept.map((row) => row.id).sort(),
    );
    expect(await store.instances.list('rolled-back', {}, 100, null)).toEqual([]);
  });
});

import {
  AppError,
  createInstanceBuildRpc,
  createInstanceRpc,
  getInstanceRpc,
  instanceBrokerQuotasRpc,
  terminateInstanceRpc,
  type CreateInstanceBuildRequest,
  type CreateInstanceRequest,
} from '@overcast/contracts';
import { createProviderRegistry } from '@overcast/providers';
import { describeWithPostgres, waitFor } from '@overcast/test-kit';
import { setQuota } from '../src/admin/set-quota';
import { createBrokerStore, type BrokerStoreHandle } from '../src/data-access/broker-store';
import { createBrokerEnvironment, type BrokerEnvironment, type Replica } from './support/broker-environment';
import { ObservedProvider } from './support/observed-provider';

const quota = 150;

const build = (tenantId: string, count: number): CreateInstanceBuildRequest => ({
  tenantId,
  site: 'org',
  env: 'staging',
  role: 'worker',
  queue: 'docker',
  instanceType: 'standard',
  count,
  image: 'standard-image',
  bootInstance: true,
  gatewayUrl: 'https://overcast.example',
});

const instance = (tenantId: string, idempotencyKey?: string): CreateInstanceRequest => ({
  tenantId,
  provider: 'fake',
  image: 'standard-image',
  ...(idempotencyKey && { idempotencyKey }),
});

/** The refusal a call ended with, or null when it succeeded. */
async function refusalOf(call: Promise<unknown>): Promise<AppError | null> {
  try {
    await call;
    return null;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
}

// Against the machine's Postgres and RabbitMQ, two replicas (own pools, like two processes) taking creates.
describeWithPostgres('per-tenant instance quotas', () => {
  let environment: BrokerEnvironment;
  let replicas: Replica[];
  let store: BrokerStoreHandle;
  const fake = new ObservedProvider();

  beforeAll(async () => {
    environment = await createBrokerEnvironment();
    const options = { providers: createProviderRegistry([fake]), config: { INSTANCE_QUOTA_PER_TENANT: String(quota) } };
    replicas = [await environment.startReplica(options), await environment.startReplica(options)];
    const [first] = replicas;
    if (!first) throw new Error('no replica');
    store = createBrokerStore(first.database, { instanceQuota: { defaultLimit: quota } });
  });

  afterAll(async () => {
    await store?.close();
    await environment?.close();
  });

  const create = (request: CreateInstanceRequest) => environment.client.call(createInstanceRpc, request);
  const quotasOf = (tenantId: string) => environment.client.call(instanceBrokerQuotasRpc, { tenantId });

  it('takes one instance of quota per booting build whatever its count (the VM concurrency), refusing builds once full', async () => {
    const limit = 3;
    await store.quotas.setInstanceLimit('builds', limit);
    const outcomes = [];
    for (let i = 0; i < 5; i += 1)
      outcomes.push(await refusalOf(environment.client.call(createInstanceBuildRpc, build('builds', 100))));
    expect(outcomes.slice(0, limit)).toEqual([null, null, null]);
    for (const refusal of outcomes.slice(limit)) {
      expect(refusal).toMatchObject({ code: 'quota_exceeded' });
      expect(refusal?.details).toEqual([
        {
          path: 'quota.instances',
          message: 'instances quota exceeded: 3 of 3 in use, 1 requested',
          quota: { name: 'instances', limit, used: limit, requested: 1 },
        },
      ]);
    }
    // The refused builds left nothing behind; once started, each build has its one instance.
    expect(await store.prisma.instanceBuild.count({ where: { tenantId: 'builds' } })).toBe(limit);
    await waitFor(
      'the builds to start their instances',
      async () =>
        (await store.prisma.instanceBuild.count({ where: { tenantId: 'builds', state: 'started' } })) === limit,
      { timeoutMs: 30_000 },
    );
    expect(await store.instances.list('builds', {}, 1_000, null)).toHaveLength(limit);
    expect(await quotasOf('builds')).toEqual({ quotas: [{ name: 'instances', limit, used: limit }] });
    expect(await refusalOf(create(instance('builds')))).toMatchObject({
      code: 'quota_exceeded',
      details: [{ quota: { name: 'instances', limit, used: limit, requested: 1 } }],
    });
  });

  it('lets concurrent creates on two replicas, with and without Idempotency-Key, take exactly what is left', async () => {
    const limit = 22;
    await store.quotas.setInstanceLimit('racers', limit);
    for (const count of [100, 30])
      expect(await refusalOf(environment.client.call(createInstanceBuildRpc, build('racers', count)))).toBeNull();
    const creates = Array.from({ length: 60 }, (_, i) =>
      refusalOf(create(instance('racers', i % 3 === 0 ? `key-${i}` : undefined))),
    );
    const refusals = await Promise.all(creates);
    expect(refusals.filter((refusal) => refusal === null)).toHaveLength(20);
    for (const refusal of refusals.filter((refusal) => refusal !== null)) expect(refusal?.code).toBe('quota_exceeded');
    const racers = await store.instances.list('racers', {}, 1_000, null);
    expect(racers.filter((instance) => instance.instanceBuildId === null)).toHaveLength(20);
    expect(await quotasOf('racers')).toEqual({ quotas: [{ name: 'instances', limit, used: limit }] });
  });

  it('keeps one tenant at its limit from blocking another', async () => {
    expect(await refusalOf(create(instance('builds')))).toMatchObject({ code: 'quota_exceeded' });
    const others = await Promise.all(Array.from({ length: 10 }, () => refusalOf(create(instance('bystander')))));
    expect(others).toEqual(Array.from({ length: 10 }, () => null));
    expect(await quotasOf('bystander')).toEqual({ quotas: [{ name: 'instances', limit: quota, used: 10 }] });
  });

  it('frees quota when an instance is terminated, not before', async () => {
    const tenantId = 'churn';
    await store.quotas.setInstanceLimit(tenantId, 1);
    const first = await create(instance(tenantId));
    expect(await refusalOf(create(instance(tenantId)))).toMatchObject({ code: 'quota_exceeded' });
    await waitFor(
      'running',
      async () => (await environment.client.call(getInstanceRpc, { tenantId, id: first.id })).state === 'running',
    );
    await environment.client.call(terminateInstanceRpc, { tenantId, id: first.id });
    await waitFor(
      'terminated',
      async () => (await environment.client.call(getInstanceRpc, { tenantId, id: first.id })).state === 'terminated',
    );
    expect(await refusalOf(create(instance(tenantId)))).toBeNull();
  });

  it('gives a tenant its own limit with the set-quota command, and back the default', async () => {
    const tenantId = 'raised';
    expect(await setQuota([tenantId, '2'], store.quotas)).toBe('tenant raised: instances 0 in use of 2');
    expect(await refusalOf(create(instance(tenantId)))).toBeNull();
    expect(await refusalOf(create(instance(tenantId)))).toBeNull();
    expect(await refusalOf(create(instance(tenantId)))).toMatchObject({ details: [{ quota: { limit: 2, used: 2 } }] });
    expect(await setQuota([tenantId, 'default'], store.quotas)).toBe(
      `tenant raised: instances 2 in use of ${quota} (the default)`,
    );
    expect(await refusalOf(create(instance(tenantId)))).toBeNull();
    await expect(setQuota([tenantId, '-1'], store.quotas)).rejects.toThrow('limit must be a whole number');
    await expect(setQuota([tenantId], store.quotas)).rejects.toThrow('usage: set-quota <tenant-id> <limit|default>');
  });
});

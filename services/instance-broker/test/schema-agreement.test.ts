import { randomUUID } from 'node:crypto';
import { applyMigrations, type Database } from '@overcast/db';
import { describeWithPostgres } from '@overcast/test-kit';
import type { BrokerStoreHandle } from '../src/data-access/broker-store';
import type { InstanceRecord } from '../src/domain/records';
import { instanceBrokerMigrationsDir } from '../src/service';
import { openMigratedStore, type MigratedStore } from './support/migrated-store';

describeWithPostgres('migrations, schema.prisma and the Kysely tables agree', () => {
  let opened: MigratedStore;
  let database: Database;
  let store: BrokerStoreHandle;

  beforeAll(async () => {
    opened = await openMigratedStore();
    ({ database, store } = opened);
  });

  afterAll(() => opened?.close());

  it('applies nothing the second time', async () => {
    const again = await applyMigrations(database, instanceBrokerMigrationsDir);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toEqual([
      '20261122100000_instances',
      '20261204100000_tenant_quotas',
      '20261204170000_one_instance_per_build',
      '20261205000000_autoscaling_groups',
      '20261205010000_autoscaling_group_names',
      '20261205020000_autoscaling_group_instances',
    ]);
  });

  it('round-trips every column of every model and Kysely table through the migrated tables', async () => {
    const { prisma } = store;
    const build = await prisma.instanceBuild.create({
      data: {
        id: randomUUID(),
        tenantId: 't1',
        provider: 'aws',
        site: 'org',
        env: 'staging',
        role: 'worker',
        queue: 'docker',
        instanceType: 'premium',
        count: 2,
        image: 'ami-1',
        slackChannel: 'ops',
        subnetId: 'subnet-1',
        securityGroupId: 'sg-1',
        bootInstance: true,
        state: 'pending',
        errorReason: 'none',
        gatewayUrl: 'https://gw.example',
        initScript: '#!/bin/sh',
        secretSalt: new Uint8Array([1, 2, 3]),
        secretHash: new Uint8Array([4, 5, 6]),
        secretExpiresAt: new Date('2030-01-01T00:00:00.000Z'),
        userDataCiphertext: 'v1:a:b:c',
      },
    });
    // instances and idempotency_keys are Kysely's: one row through a transaction (Prisma's connection), one on the pool.
    const instance: InstanceRecord = {
      id: randomUUID(),
      tenantId: 't1',
      provider: 'aws',
      image: 'ami-1',
      instanceType: 'premium',
      publicSshKey: 'ssh-ed25519 AAAA',
      state: 'running',
      ipAddress: '203.0.113.1',
      upstreamId: 'i-1',
      errorReason: null,
      env: 'staging',
      site: 'org',
      role: 'worker',
      queue: 'docker',
      instanceBuildId: build.id,
      createdAt: new Date('2026-12-04T08:00:00.123Z'),
      updatedAt: new Date('2026-12-04T08:00:01.456Z'),
    };
    await store.transaction((tx) => tx.instances.insert([instance]));
    const keyed: InstanceRecord = { ...instance, id: randomUUID(), instanceBuildId: null, errorReason: 'e', env: null };
    const claim = { key: 'k', requestHash: 'h' };
    expect(await store.createInstance(keyed, async () => undefined, claim)).toBe('created');
    const image = await prisma.image.create({
      data: {
        id: randomUUID(),
        tenantId: 't1',
        provider: 'aws',
        imageId: 'ami-1',
        role: 'worker',
        name: 'w',
        active: true,
      },
    });
    const quota = await prisma.tenantQuota.create({ data: { tenantId: 't1', quota: 'instances', limit: 7 } });

    const readBuild = await prisma.instanceBuild.findUniqueOrThrow({ where: { id: build.id } });
    expect(readBuild).toEqual(build);
    expect(await store.instances.listByBuild(build.id)).toEqual([instance]);
    expect(await store.instances.findById(keyed.id)).toEqual(keyed);
    expect(Buffer.from(readBuild.secretHash ?? [])).toEqual(Buffer.from([4, 5, 6]));
    expect(await prisma.image.findUniqueOrThrow({ where: { id: image.id } })).toEqual({ ...image, state: 'available' });
    expect(await store.idempotencyKeys.find('t1', 'k')).toEqual({
      requestHash: 'h',
      instanceId: keyed.id,
      createdAt: expect.any(Date),
    });
    expect(
      await prisma.tenantQuota.findUniqueOrThrow({ where: { tenantId_quota: { tenantId: 't1', quota: 'instances' } } }),
    ).toEqual(quota);
    await expect(
      prisma.tenantQuota.create({ data: { tenantId: 't9', quota: 'instances', limit: -1 } }),
    ).rejects.toThrow();
  });

  /** A row of `instances` an autoscaling group's instance is recorded with. */
  const groupInstance = (id: string): InstanceRecord => ({
    id,
    tenantId: 't1',
    provider: 'aws',
    image: 'ami-1',
    instanceType: 'c3.4xlarge',
    publicSshKey: null,
    state: 'starting',
    ipAddress: null,
    upstreamId: 'i-3',
    errorReason: null,
    env: 'prod',
    site: 'org',
    role: 'worker',
    queue: 'docker',
    instanceBuildId: null,
    createdAt: new Date(),
    updatedAt: new Date(),
  });

  it('round-trips the autoscaling tables through the migrated tables', async () => {
    const { prisma } = store;
    const build = await prisma.autoscalingGroupBuild.create({
      data: {
        id: randomUUID(),
        tenantId: 't1',
        provider: 'aws',
        instanceId: randomUUID(),
        upstreamInstanceId: 'i-1',
        name: 'worker-org-prod-docker-1-1700000000',
        nameTemplate: '{{.Role}}-{{.Timestamp}}',
        site: 'org',
        env: 'prod',
        queue: 'docker',
        role: 'worker',
        roleArn: 'arn:aws:iam::1:role/r',
        topicArn: 'arn:aws:sns:us-east-1:1:t',
        instanceType: 'c3.4xlarge',
        minSize: 1,
        maxSize: 10,
        desiredCapacity: 2,
        defaultCooldown: 1200,
        slackChannel: 'ops',
        timestamp: 1_700_000_000n,
        scaleOut: { cooldown: 300 },
        scaleIn: { cooldown: 60 },
        state: 'pending',
        step: 'group',
        scaleOutPolicyArn: 'arn:sop',
        scaleInPolicyArn: 'arn:sip',
        errorReason: 'none',
      },
    });
    const message = await prisma.snsMessage.create({
      data: { messageId: 'm-1', topicArn: 'arn:aws:sns:us-east-1:1:t', type: 'Notification' },
    });
    const action = await prisma.autoscalingLifecycleAction.create({
      data: {
        tenantId: 't1',
        transition: 'launching',
        upstreamInstanceId: 'i-2',
        buildId: build.id,
        groupName: build.name,
        hookName: `${build.name}-lch-launching`,
        token: 'tok',
      },
    });
    const down = await prisma.expectedDownInstance.create({ data: { tenantId: 't1', upstreamInstanceId: 'i-2' } });
    // A group's instance is recorded before its instance row, in the same transaction (the key to it is deferred).
    const member = { instanceId: randomUUID(), tenantId: 't1', buildId: build.id, upstreamInstanceId: 'i-3' };
    const recorded = await store.transaction(async (tx) => {
      const first = await tx.autoscaling.recordGroupInstance(member);
      const again = await tx.autoscaling.recordGroupInstance({ ...member, instanceId: randomUUID() });
      await tx.instances.insert([groupInstance(member.instanceId)]);
      return [first, again];
    });
    await expect(
      store.transaction((tx) =>
        tx.autoscaling.recordGroupInstance({ ...member, instanceId: randomUUID(), upstreamInstanceId: 'i-4' }),
      ),
    ).rejects.toThrow();

    expect(await prisma.autoscalingGroupBuild.findUniqueOrThrow({ where: { id: build.id } })).toEqual(build);
    expect(await prisma.snsMessage.findUniqueOrThrow({ where: { messageId: 'm-1' } })).toEqual(message);
    expect(await prisma.autoscalingLifecycleAction.findFirstOrThrow({ where: { token: 'tok' } })).toEqual(action);
    expect(await prisma.expectedDownInstance.findFirstOrThrow({ where: { tenantId: 't1' } })).toEqual(down);
    expect(recorded).toEqual([true, false]);
    expect(
      await prisma.autoscalingGroupInstance.findUniqueOrThrow({ where: { instanceId: member.instanceId } }),
    ).toEqual({
      ...member,
      createdAt: expect.any(Date),
    });
    expect(await store.autoscaling.findGroupInstance(member.instanceId)).toEqual(member);
    expect(await store.autoscaling.listGroupInstances(build.id)).toEqual([member]);
    await expect(
      prisma.autoscalingLifecycleAction.create({ data: { ...action, transition: 'rebooting' } }),
    ).rejects.toThrow();
  });

  it('allows one active image per tenant, provider and role (the partial index Prisma cannot express)', async () => {
    const { prisma } = store;
    const base = { tenantId: 't2', provider: 'aws', role: 'web', name: 'web' };
    await prisma.image.create({ data: { ...base, id: randomUUID(), imageId: 'ami-a', active: true } });
    await prisma.image.create({ data: { ...base, id: randomUUID(), imageId: 'ami-b', active: false } });
    await expect(
      prisma.image.create({ data: { ...base, id: randomUUID(), imageId: 'ami-c', active: true } }),
    ).rejects.toThrow();
  });
});

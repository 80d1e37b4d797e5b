import { randomUUID } from 'node:crypto';
import {
  createAutoscalingGroupBuildRpc,
  heartbeatInstanceRpc,
  listInstancesRpc,
  receiveSnsMessageRpc,
  terminateInstanceRpc,
  type AppError,
  type AutoscalingGroupBuild,
  type Instance,
} from '@overcast/contracts';
import {
  createFakeAutoscalingGroups,
  createFakeComputeProvider,
  createProviderRegistry,
  ProviderError,
  type GroupInstance,
} from '@overcast/providers';
import { describeWithPostgres, waitFor } from '@overcast/test-kit';
import { runningBuildInstance } from './support/running-build-instance';
import { createBrokerEnvironment } from './support/broker-environment';

const topicArn = 'arn:aws:sns:us-east-1:123456789012:group-instances';

/**
 * Brokers (`replicas` of them, on one database) on a fake `aws` whose groups' instances a test launches and ends in
 * `cloud.state.instances`; `describing` counts the groups' descriptions, at most how many at once.
 */
async function startBroker(syncIntervalMs: number, replicas = 1) {
  const cloud = createFakeAutoscalingGroups();
  /** Groups whose description fails (a throttled or broken provider), by name. */
  const failing = new Set<string>();
  const describing = { calls: 0, inFlight: 0, mostAtOnce: 0, delayMs: 0 };
  const groups = {
    ...cloud,
    async describeGroupInstances(input: { groupName: string; known: readonly string[] }) {
      describing.calls += 1;
      describing.inFlight += 1;
      describing.mostAtOnce = Math.max(describing.mostAtOnce, describing.inFlight);
      try {
        if (describing.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, describing.delayMs));
        if (failing.has(input.groupName)) throw new ProviderError('Throttling (test)', { retryable: true });
        return await cloud.describeGroupInstances(input);
      } finally {
        describing.inFlight -= 1;
      }
    },
  };
  const aws = createFakeComputeProvider({ name: 'aws', latencyMs: 0, bootMs: 0, autoscalingGroups: groups });
  const environment = await createBrokerEnvironment();
  for (let replica = 0; replica < replicas; replica += 1) {
    await environment.startReplica({
      providers: createProviderRegistry([aws]),
      config: { AUTOSCALING_SYNC_INTERVAL_MS: String(syncIntervalMs) },
    });
  }
  return { environment, cloud, failing, describing, aws };
}

type Broker = Awaited<ReturnType<typeof startBroker>>;

/** A running instance of an instance build, and an autoscaling group made from it (finished). */
async function buildGroup(broker: Broker, tenantId: string, queue: string) {
  const { client } = broker.environment;
  const { build: instanceBuild, instance: source } = await runningBuildInstance(client, tenantId, { queue: 'boot' });
  const group = await client.call(createAutoscalingGroupBuildRpc, {
    tenantId,
    instanceId: source.id,
    site: 'org',
    env: 'staging',
    queue,
    role: 'worker',
    roleArn: 'arn:aws:iam::123456789012:role/lifecycle',
    topicArn,
    minSize: 1,
    maxSize: 10,
    desiredCapacity: 1,
    scaleOut: {},
    scaleIn: {},
  });
  await waitFor('the group built', () => broker.cloud.state.hooks.has(`${group.name}-lch-terminating`));
  return { tenantId, instanceBuild, source, group };
}

function launchedByGroup(broker: Broker, group: AutoscalingGroupBuild, instance: Partial<GroupInstance> = {}) {
  const launched = {
    groupName: group.name,
    upstreamId: `i-0${randomUUID().replaceAll('-', '').slice(0, 16)}`,
    state: 'running' as const,
    ipAddress: '203.0.113.9',
    image: 'ami-0group',
    instanceType: 'c5.2xlarge',
    createdAt: new Date(),
    ...instance,
  };
  broker.cloud.state.instances.set(launched.upstreamId, launched);
  return launched;
}

function lifecycleNotification(group: AutoscalingGroupBuild, transition: string, upstreamId: string) {
  return {
    AutoScalingGroupName: group.name,
    Service: 'AWS Auto Scaling',
    LifecycleTransition: `autoscaling:EC2_INSTANCE_${transition}`,
    LifecycleActionToken: `token-${transition}-${upstreamId}`,
    EC2InstanceId: upstreamId,
    LifecycleHookName: `${group.name}-lch-${transition.toLowerCase()}`,
  };
}

async function instancesNamed(broker: Broker, tenantId: string, reference: string): Promise<Instance[]> {
  const page = await broker.environment.client.call(listInstancesRpc, { tenantId, reference, limit: 100 });
  return page.instances;
}

function heartbeat(broker: Broker, tenantId: string, buildId: string, instanceId: string) {
  return broker.environment.client.call(heartbeatInstanceRpc, { tenantId, buildId, instanceId });
}

const refusal = (call: Promise<unknown>) =>
  call.then(
    () => null,
    (error: AppError) => error.code,
  );

describeWithPostgres('instances an autoscaling group launched, adopted from its LAUNCHING notification', () => {
  let broker: Broker;

  beforeAll(async () => {
    // The sync stays out of the way: what is adopted here, the notification adopted.
    broker = await startBroker(3_600_000);
  });

  afterAll(async () => {
    await broker?.environment.close();
  });

  it('adopts the instance once, with the build’s labels, and its heartbeats answer it (down once terminating)', async () => {
    const { tenantId, instanceBuild, source, group } = await buildGroup(broker, 'n1', 'notified');
    const upstreamId = 'i-0notified0000001';
    const launching = {
      messageId: randomUUID(),
      type: 'Notification' as const,
      topicArn,
      message: JSON.stringify(lifecycleNotification(group, 'LAUNCHING', upstreamId)),
    };
    const { client } = broker.environment;

    // Redelivered (same MessageId) and published again (other MessageIds), all at once.
    const copies = [
      launching,
      launching,
      ...Array.from({ length: 4 }, () => ({ ...launching, messageId: randomUUID() })),
    ];
    const outcomes = await Promise.all(copies.map((message) => client.call(receiveSnsMessageRpc, message)));
    expect(outcomes.map(({ outcome }) => outcome).sort()).toEqual(['duplicate', ...Array(5).fill('stored')]);

    const adopted = await instancesNamed(broker, tenantId, upstreamId);
    expect(adopted).toEqual([
      expect.objectContaining({
        provider: 'aws',
        state: 'starting',
        upstreamId,
        site: 'org',
        env: 'staging',
        queue: 'notified',
        role: 'worker',
        // The group boots the source instance's launch configuration: its image, type and user data (its build).
        image: source.image,
        instanceType: source.instanceType,
        instanceBuildId: instanceBuild.id,
      }),
    ]);
    const refreshesBefore = broker.aws.calls.listInstances;
    await waitFor('three refresh runs', () => broker.aws.calls.listInstances >= refreshesBefore + 3);
    // The refresh lists tagged instances only; the group's instance is its group's to converge, not ended as missing.
    expect((await instancesNamed(broker, tenantId, upstreamId))[0]?.state).toBe('starting');

    const beat = await heartbeat(broker, tenantId, instanceBuild.id, upstreamId);
    expect(beat).toMatchObject({ expectedState: 'up', instance: { id: adopted[0]?.id, upstreamId } });
    await client.call(receiveSnsMessageRpc, {
      ...launching,
      messageId: randomUUID(),
      message: JSON.stringify(lifecycleNotification(group, 'TERMINATING', upstreamId)),
    });
    expect((await heartbeat(broker, tenantId, instanceBuild.id, upstreamId)).expectedState).toBe('down');
  });

  it('never shows one tenant’s adopted instance to another', async () => {
    const mine = await buildGroup(broker, 'n2', 'mine');
    const theirs = await buildGroup(broker, 'n3', 'theirs');
    const upstreamId = 'i-0tenancy00000001';
    await broker.environment.client.call(receiveSnsMessageRpc, {
      messageId: randomUUID(),
      type: 'Notification',
      topicArn,
      message: JSON.stringify(lifecycleNotification(mine.group, 'LAUNCHING', upstreamId)),
    });

    expect(await instancesNamed(broker, 'n2', upstreamId)).toHaveLength(1);
    expect(await instancesNamed(broker, 'n3', upstreamId)).toEqual([]);
    const listed = await broker.environment.client.call(listInstancesRpc, { tenantId: 'n3', limit: 100 });
    expect(listed.instances.map((instance) => instance.upstreamId)).not.toContain(upstreamId);
    expect(await refusal(heartbeat(broker, 'n3', theirs.instanceBuild.id, upstreamId))).toBe('not_found');
    expect(
      await refusal(broker.environment.client.call(terminateInstanceRpc, { tenantId: 'n3', id: upstreamId })),
    ).toBe('not_found');
    expect(await refusal(heartbeat(broker, 'n2', mine.instanceBuild.id, upstreamId))).toBeNull();
  });
});

describeWithPostgres('the autoscaling groups’ sync (pudding’s ec2-sync, per group)', () => {
  let broker: Broker;

  beforeAll(async () => {
    broker = await startBroker(100);
  });

  afterAll(async () => {
    await broker?.environment.close();
  });

  it('adopts what a group launched without any notification, converges it, and ends it when the group does', async () => {
    const { tenantId, instanceBuild, group } = await buildGroup(broker, 's1', 'synced');
    const launched = launchedByGroup(broker, group, { state: 'starting', ipAddress: null });

    const adopted = await waitFor('the instance adopted', async () => {
      const [instance] = await instancesNamed(broker, tenantId, launched.upstreamId);
      return instance;
    });
    expect(adopted).toMatchObject({
      provider: 'aws',
      state: 'starting',
      image: 'ami-0group',
      instanceType: 'c5.2xlarge',
      site: 'org',
      env: 'staging',
      queue: 'synced',
      role: 'worker',
      instanceBuildId: instanceBuild.id,
    });

    launched.state = 'running';
    launched.ipAddress = '203.0.113.10';
    await waitFor('the instance running at its address', async () => {
      const [instance] = await instancesNamed(broker, tenantId, launched.upstreamId);
      return instance?.state === 'running' && instance.ipAddress === '203.0.113.10';
    });
    expect((await heartbeat(broker, tenantId, instanceBuild.id, launched.upstreamId)).expectedState).toBe('up');

    // The group takes it out (a scale-in): its heartbeats answer down even where SNS is not configured.
    launched.state = 'terminating';
    await waitFor('the instance terminating', async () => {
      const [instance] = await instancesNamed(broker, tenantId, launched.upstreamId);
      return instance?.state === 'terminating';
    });
    expect((await heartbeat(broker, tenantId, instanceBuild.id, launched.upstreamId)).expectedState).toBe('down');

    // Gone from the group and from EC2's answers.
    broker.cloud.state.instances.delete(launched.upstreamId);
    await waitFor('the instance terminated', async () => {
      const [instance] = await instancesNamed(broker, tenantId, launched.upstreamId);
      return instance?.state === 'terminated';
    });
    expect(await instancesNamed(broker, tenantId, launched.upstreamId)).toHaveLength(1);
  });

  it('adopts an instance once when its notification races the sync', async () => {
    const { tenantId, group } = await buildGroup(broker, 's2', 'raced');
    const launched = launchedByGroup(broker, group);
    const message = JSON.stringify(lifecycleNotification(group, 'LAUNCHING', launched.upstreamId));

    await Promise.all(
      Array.from({ length: 6 }, () =>
        broker.environment.client.call(receiveSnsMessageRpc, {
          messageId: randomUUID(),
          type: 'Notification',
          topicArn,
          message,
        }),
      ),
    );
    await waitFor('the instance running', async () =>
      (await instancesNamed(broker, tenantId, launched.upstreamId)).some((instance) => instance.state === 'running'),
    );
    expect(await instancesNamed(broker, tenantId, launched.upstreamId)).toHaveLength(1);
  });

  it('terminates an instance named by its EC2 id through its group, and only for its own tenant', async () => {
    const { tenantId, instanceBuild, group } = await buildGroup(broker, 's3', 'deleted');
    const launched = launchedByGroup(broker, group);
    await waitFor('the instance adopted', async () => (await instancesNamed(broker, tenantId, launched.upstreamId))[0]);
    const { client } = broker.environment;

    expect(await refusal(client.call(terminateInstanceRpc, { tenantId: 's4', id: launched.upstreamId }))).toBe(
      'not_found',
    );
    expect(broker.cloud.state.terminatedInGroup).not.toContain(launched.upstreamId);

    const answered = await client.call(terminateInstanceRpc, { tenantId, id: launched.upstreamId });
    expect(answered).toMatchObject({ state: 'terminating', upstreamId: launched.upstreamId });
    await waitFor('the instance terminated', async () => {
      const [instance] = await instancesNamed(broker, tenantId, launched.upstreamId);
      return instance?.state === 'terminated';
    });
    expect(broker.cloud.state.terminatedInGroup).toEqual([launched.upstreamId]);
    expect((await heartbeat(broker, tenantId, instanceBuild.id, launched.upstreamId)).expectedState).toBe('down');
  });

  it('keeps syncing the other groups while one group’s provider calls fail, and that one once they succeed', async () => {
    const broken = await buildGroup(broker, 's5', 'broken');
    const healthy = await buildGroup(broker, 's5', 'healthy');
    broker.failing.add(broken.group.name);
    const onBroken = launchedByGroup(broker, broken.group);
    const onHealthy = launchedByGroup(broker, healthy.group);

    await waitFor('the healthy group’s instance adopted', async () =>
      (await instancesNamed(broker, 's5', onHealthy.upstreamId)).at(0),
    );
    expect(await instancesNamed(broker, 's5', onBroken.upstreamId)).toEqual([]);

    broker.failing.delete(broken.group.name);
    // Backed off for a few intervals after its failures, then synced again.
    await waitFor('the broken group’s instance adopted', async () =>
      (await instancesNamed(broker, 's5', onBroken.upstreamId)).at(0),
    );
  });
});

describeWithPostgres('the autoscaling groups’ sync on two replicas', () => {
  let broker: Broker;

  beforeAll(async () => {
    broker = await startBroker(20, 2);
  });

  afterAll(async () => {
    await broker?.environment.close();
  });

  it('describes the groups on one replica at a time (a lease in the database, as refresh and reaper)', async () => {
    await buildGroup(broker, 'r1', 'replicated');
    broker.describing.delayMs = 30; // long enough that overlapping runs would be seen
    const before = broker.describing.calls;
    await waitFor('ten descriptions', () => broker.describing.calls >= before + 10);
    expect(broker.describing.mostAtOnce).toBe(1);
  });
});

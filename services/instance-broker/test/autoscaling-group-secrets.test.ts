import {
  createAutoscalingGroupBuildRpc,
  getInitScriptRpc,
  heartbeatInstanceRpc,
  reportInstanceLifecycleRpc,
  type AppError,
  type SendNotification,
} from '@overcast/contracts';
import { createFakeAutoscalingGroups, createProviderRegistry, ProviderError } from '@overcast/providers';
import { describeWithPostgres, waitFor } from '@overcast/test-kit';
import { runningBuildInstance } from './support/running-build-instance';
import { createBrokerEnvironment, type BrokerEnvironment } from './support/broker-environment';
import { ObservedProvider } from './support/observed-provider';

/** INIT_SCRIPT_TTL_SECONDS' default: the replica runs with it. */
const ttlMs = 86_400_000;

describeWithPostgres('a build’s secret while an autoscaling group made from its instance exists', () => {
  let environment: BrokerEnvironment;
  const notices: SendNotification[] = [];
  const cloud = createFakeAutoscalingGroups();
  /**
   * While set, the cloud refuses that call for good: the group build errors before making its group (createGroup),
   * or after (putLifecycleHook, its last steps).
   */
  let refusing: 'createGroup' | 'putLifecycleHook' | null = null;
  const refuse = (method: typeof refusing) => {
    if (refusing === method) throw new ProviderError('AccessDenied (test)', { retryable: false, code: 'AccessDenied' });
  };
  const aws = new ObservedProvider({
    name: 'aws',
    latencyMs: 0,
    bootMs: 0,
    autoscalingGroups: {
      ...cloud,
      async createGroup(input) {
        refuse('createGroup');
        await cloud.createGroup(input);
      },
      async putLifecycleHook(input) {
        refuse('putLifecycleHook');
        await cloud.putLifecycleHook(input);
      },
    },
  });
  /** How far the broker's clock is ahead of the machine's. */
  let clockOffsetMs = 0;

  beforeAll(async () => {
    environment = await createBrokerEnvironment();
    await environment.startReplica({
      providers: createProviderRegistry([aws]),
      notifier: { send: async (message) => void notices.push(message) },
      clock: { now: () => new Date(Date.now() + clockOffsetMs) },
      // The sync stays out of the way: nothing here depends on it.
      config: { AUTOSCALING_SYNC_INTERVAL_MS: '3600000' },
    });
  });

  afterAll(async () => {
    await environment?.close();
  });

  /** Runs `work` with the broker's clock a minute past the secrets' TTL. */
  async function pastTheTtl(work: () => Promise<void>): Promise<void> {
    clockOffsetMs = ttlMs + 60_000;
    try {
      await work();
    } finally {
      clockOffsetMs = 0;
    }
  }

  /** A started instance build, its running instance, and the secret of the `#include` URL its instance boots with. */
  async function bootBuild(tenantId: string) {
    const { build: accepted, instance } = await runningBuildInstance(environment.client, tenantId);
    const userData = aws.createInputs.find((input) => input.id === instance.id)?.userData ?? '';
    const secret = /^#include https:\/\/x:([0-9a-f]+)@/.exec(userData)?.[1] ?? 'no secret';
    return { build: accepted, instance, secret };
  }

  /** An autoscaling group build made from the instance (the cloud refusing `refused`), once its notice came. */
  async function buildGroup(tenantId: string, instanceId: string, refused: typeof refusing = null) {
    refusing = refused;
    try {
      const group = await environment.client.call(createAutoscalingGroupBuildRpc, {
        tenantId,
        instanceId,
        site: 'com',
        env: 'prod',
        queue: 'fancy',
        role: 'worky',
        roleArn: 'arn:aws:iam::123456789012:role/pudding-test',
        topicArn: 'arn:aws:sns:us-east-1:123456789012:group-secrets',
        minSize: 1,
        maxSize: 10,
        desiredCapacity: 1,
        scaleOut: {},
        scaleIn: {},
      });
      const notice = await waitFor('the group build’s notice', () =>
        notices.find((candidate) => candidate.text.includes(`*${group.name}*`)),
      );
      return { group, notice: notice.text };
    } finally {
      refusing = null;
    }
  }

  const initScript = (buildId: string, secret: string) =>
    environment.client.call(getInitScriptRpc, { buildId, secret }).then(
      ({ script }) => script,
      (error: AppError) => error.code,
    );

  it('opens the init script and the callbacks past the TTL while the group exists; a wrong secret is still refused', async () => {
    const { build, instance, secret } = await bootBuild('t1');
    const { group, notice } = await buildGroup('t1', instance.id);
    expect(notice).toMatch(/^Built autoscaling group/);
    expect(cloud.state.groups.has(group.name)).toBe(true);
    // A group whose build failed after making it is up all the same, launching copies of its instance.
    const halfBuilt = await bootBuild('t1');
    const failedLate = await buildGroup('t1', halfBuilt.instance.id, 'putLifecycleHook');
    expect(failedLate.notice).toMatch(/^Failed to build autoscaling group .*AccessDenied/);
    expect(cloud.state.groups.has(failedLate.group.name)).toBe(true);
    const { client } = environment;

    await pastTheTtl(async () => {
      // What a copy of the instance the group launches now fetches, and how it calls back.
      expect(await initScript(build.id, secret)).toContain(`https://x:${secret}@overcast.example/`);
      expect(await initScript(build.id, 'wrong')).toBe('not_found');
      const launched = await client.call(reportInstanceLifecycleRpc, {
        buildId: build.id,
        secret,
        transition: 'launching',
        instanceId: 'i-0groupcopy',
      });
      expect(launched).toEqual({ instanceId: 'i-0groupcopy' });
      const beat = await client.call(heartbeatInstanceRpc, { buildId: build.id, secret, instanceId: instance.id });
      expect(beat.expectedState).toBe('up');
      expect(await initScript(halfBuilt.build.id, halfBuilt.secret)).toContain(`x:${halfBuilt.secret}@`);
    });
  });

  it('refuses the secret past the TTL, as before, for a build without a group or whose group build failed before making it', async () => {
    const alone = await bootBuild('t2');
    const failed = await bootBuild('t2');
    const { group, notice } = await buildGroup('t2', failed.instance.id, 'createGroup');
    expect(notice).toMatch(/^Failed to build autoscaling group .*AccessDenied/);
    expect(cloud.state.groups.has(group.name)).toBe(false);
    for (const { build, secret } of [alone, failed]) {
      expect(await initScript(build.id, secret)).toContain(`x:${secret}@`);
    }

    await pastTheTtl(async () => {
      for (const { build, secret } of [alone, failed]) {
        expect(await initScript(build.id, secret)).toBe('not_found');
        const refused = await environment.client
          .call(heartbeatInstanceRpc, { buildId: build.id, secret, instanceId: 'i-0anything' })
          .catch((error: AppError) => error);
        expect(refused).toMatchObject({ code: 'not_found', message: 'instance build not found' });
      }
    });
  });
});

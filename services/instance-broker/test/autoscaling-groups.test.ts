import { randomUUID } from 'node:crypto';
import {
  createAutoscalingGroupBuildRpc,
  heartbeatInstanceRpc,
  receiveSnsMessageRpc,
  reportInstanceLifecycleRpc,
  type AppError,
  type CreateAutoscalingGroupBuildRequest,
  type SendNotification,
} from '@overcast/contracts';
import {
  createFakeAutoscalingGroups,
  createFakeComputeProvider,
  createProviderRegistry,
  ProviderError,
  type AutoscalingGroups,
} from '@overcast/providers';
import { describeWithPostgres, waitFor } from '@overcast/test-kit';
import { runningBuildInstance } from './support/running-build-instance';
import { createBrokerEnvironment, type BrokerEnvironment } from './support/broker-environment';

/** The fake cloud's autoscaling groups, with every call counted and faults a test arms per method. */
function observedGroups() {
  const fake = createFakeAutoscalingGroups();
  const calls: { method: string; name: string }[] = [];
  const faults: { method: keyof AutoscalingGroups; name: string; afterWork: boolean }[] = [];
  const retryable = (method: string) =>
    new ProviderError(`${method}: Throttling (test)`, { retryable: true, code: 'Throttling' });
  const observed = Object.fromEntries(
    (Object.keys(fake) as (keyof typeof fake)[])
      .filter((method): method is keyof AutoscalingGroups => method !== 'state')
      .map((method) => [
        method,
        async (input: { name?: string; hookName?: string; topicArn?: string }) => {
          const name = input.name ?? input.hookName ?? input.topicArn ?? '';
          calls.push({ method, name });
          const fault = faults.findIndex((armed) => armed.method === method && name.endsWith(armed.name));
          const armed = fault >= 0 ? faults.splice(fault, 1)[0] : undefined;
          if (armed && !armed.afterWork) throw retryable(method);
          const result = await (fake[method] as (input: unknown) => Promise<unknown>)(input);
          // A lost answer: the cloud did the work, the broker never heard (as if it was killed mid-call).
          if (armed?.afterWork) throw retryable(method);
          return result;
        },
      ]),
  ) as unknown as AutoscalingGroups;
  return { groups: observed, state: fake.state, calls, faults };
}

describeWithPostgres("autoscaling groups, SNS messages and lifecycle actions (pudding's)", () => {
  let environment: BrokerEnvironment;
  const notices: SendNotification[] = [];
  const cloud = observedGroups();
  const aws = createFakeComputeProvider({ name: 'aws', latencyMs: 0, bootMs: 0, autoscalingGroups: cloud.groups });
  const local = createFakeComputeProvider({ name: 'local', latencyMs: 0, bootMs: 0 });
  const topicArn = 'arn:aws:sns:us-east-1:123456789012:pudding-test';

  beforeAll(async () => {
    environment = await createBrokerEnvironment();
    await environment.startReplica({
      providers: createProviderRegistry([aws, local]),
      notifier: { send: async (message) => void notices.push(message) },
      config: { SNS_CONFIRMATION: 'true' },
    });
  });

  afterAll(async () => {
    await environment?.close();
  });

  /** A running instance of an instance build (on `provider`), and the build it belongs to. */
  async function bootInstance(tenantId: string, provider: string) {
    const { build, instance } = await runningBuildInstance(environment.client, tenantId, { provider });
    // Named as pudding's callers name it (`i-…`); the fake cloud's own ids do not start with `i-`.
    return { build, instance, reference: `i-${instance.id}`, upstreamId: instance.upstreamId ?? '' };
  }

  function groupRequest(tenantId: string, instanceId: string): CreateAutoscalingGroupBuildRequest {
    return {
      tenantId,
      instanceId,
      site: 'com',
      env: 'prod',
      queue: 'fancy',
      role: 'worky',
      roleArn: 'arn:aws:iam::123456789012:role/pudding-test',
      topicArn,
      instanceType: 'c3.4xlarge',
      minSize: 1,
      maxSize: 10,
      desiredCapacity: 1,
      defaultCooldown: 1200,
      scaleOut: {},
      scaleIn: { metricThreshold: 5 },
    };
  }

  function sns(type: 'Notification' | 'SubscriptionConfirmation', message: object | string, extra = {}) {
    return environment.client.call(receiveSnsMessageRpc, {
      messageId: randomUUID(),
      type,
      topicArn,
      message: typeof message === 'string' ? message : JSON.stringify(message),
      ...extra,
    });
  }

  it('builds the group, its policies, alarms and hooks once each, resuming after a lost answer and a throttled call', async () => {
    const { instance, reference, upstreamId } = await bootInstance('t1', 'aws');
    cloud.faults.push({ method: 'createGroup', name: '', afterWork: true });
    cloud.faults.push({ method: 'putScalingPolicy', name: '-sip', afterWork: false });

    const build = await environment.client.call(createAutoscalingGroupBuildRpc, groupRequest('t1', reference));

    expect(build).toMatchObject({ state: 'pending', instanceId: instance.id, upstreamInstanceId: upstreamId });
    expect(build.name).toBe(`worky-com-prod-fancy-${upstreamId.replace(/^i-/, '')}-${build.timestamp}`);
    await waitFor('the build’s notice', () => notices.find((notice) => notice.text.includes(`*${build.name}*`)));
    const name = build.name;
    expect(cloud.calls.filter((call) => call.method === 'createGroup')).toHaveLength(2);
    expect(cloud.calls.filter((call) => call.name === `${name}-sop`)).toHaveLength(1);
    expect(cloud.calls.filter((call) => call.name === `${name}-sip`)).toHaveLength(2);
    expect([...cloud.state.groups.keys()].filter((group) => group === name)).toHaveLength(1);
    expect(cloud.state.groups.get(name)).toMatchObject({
      upstreamInstanceId: upstreamId,
      minSize: 1,
      maxSize: 10,
      desiredCapacity: 1,
      defaultCooldown: 1200,
      tags: { role: 'worky', site: 'com', env: 'prod', queue: 'fancy', Name: name },
    });
    expect(cloud.state.policies.get(`${name}-sop`)).toMatchObject({ cooldown: 300, adjustment: 1 });
    expect(cloud.state.policies.get(`${name}-sip`)).toMatchObject({ cooldown: 300, adjustment: -1 });
    expect(cloud.state.alarms.get(`${name}-add-capacity`)).toEqual({
      name: `${name}-add-capacity`,
      metricName: 'CPUUtilization',
      namespace: 'AWS/EC2',
      statistic: 'Average',
      period: 120,
      evaluationPeriods: 2,
      threshold: 90,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      actionArn: cloud.state.policies.get(`${name}-sop`)?.arn,
    });
    expect(cloud.state.alarms.get(`${name}-remove-capacity`)).toMatchObject({
      threshold: 5,
      comparisonOperator: 'LessThanThreshold',
      actionArn: cloud.state.policies.get(`${name}-sip`)?.arn,
    });
    for (const transition of ['launching', 'terminating'] as const) {
      expect(cloud.state.hooks.get(`${name}-lch-${transition}`)).toEqual({
        name: `${name}-lch-${transition}`,
        groupName: name,
        transition,
        topicArn,
        roleArn: 'arn:aws:iam::123456789012:role/pudding-test',
        heartbeatTimeoutSeconds: 900,
      });
    }
  });

  it('refuses work that can only fail: a provider without autoscaling groups, an unknown or another tenant’s instance', async () => {
    const { reference } = await bootInstance('t2', 'local');
    const refusal = (request: CreateAutoscalingGroupBuildRequest) =>
      environment.client.call(createAutoscalingGroupBuildRpc, request).then(
        () => null,
        (error: AppError) => ({ code: error.code, details: error.details }),
      );

    expect(await refusal(groupRequest('t2', reference))).toEqual({
      code: 'unprocessable',
      details: [
        {
          path: 'body.autoscaling_group_builds.instance_id',
          message: 'the instance runs on provider "local", which has no autoscaling groups',
        },
      ],
    });
    expect(await refusal(groupRequest('t1', reference))).toMatchObject({
      code: 'unprocessable',
      details: [{ path: 'body.autoscaling_group_builds.instance_id', message: `no instance "${reference}"` }],
    });
    const onAws = await bootInstance('t2', 'aws');
    expect(await refusal({ ...groupRequest('t2', onAws.reference), nameTemplate: '{{.Nope}}' })).toMatchObject({
      code: 'unprocessable',
    });
  });

  it('refuses a group name another build of the tenant or of the topic already gave (409)', async () => {
    const mine = await bootInstance('t4', 'aws');
    const theirs = await bootInstance('t5', 'aws');
    const fixed = { nameTemplate: 'workers-{{.Site}}' };
    await environment.client.call(createAutoscalingGroupBuildRpc, { ...groupRequest('t4', mine.reference), ...fixed });
    const refusal = (request: CreateAutoscalingGroupBuildRequest) =>
      environment.client.call(createAutoscalingGroupBuildRpc, request).then(
        () => null,
        (error: AppError) => ({ code: error.code, path: error.details[0]?.path }),
      );
    const expected = { code: 'conflict', path: 'body.autoscaling_group_builds.name_template' };

    expect(await refusal({ ...groupRequest('t4', mine.reference), ...fixed })).toEqual(expected);
    expect(await refusal({ ...groupRequest('t5', theirs.reference), ...fixed })).toEqual(expected);
    // Another topic of another tenant may use the name (their own account's group).
    expect(
      await refusal({ ...groupRequest('t5', theirs.reference), ...fixed, topicArn: `${topicArn}-other` }),
    ).toBeNull();
  });

  it('stores lifecycle actions from SNS once per MessageId and completes them when the instance calls back', async () => {
    const { build: instanceBuild, reference, upstreamId } = await bootInstance('t3', 'aws');
    const group = await environment.client.call(createAutoscalingGroupBuildRpc, groupRequest('t3', reference));
    const action = (transition: string, ec2InstanceId: string) => ({
      AutoScalingGroupName: group.name,
      Service: 'AWS Auto Scaling',
      LifecycleTransition: `autoscaling:EC2_INSTANCE_${transition}`,
      LifecycleActionToken: `token-${transition}-${ec2InstanceId}`,
      EC2InstanceId: ec2InstanceId,
      LifecycleHookName: `${group.name}-lch-${transition.toLowerCase()}`,
    });

    const messageId = randomUUID();
    const launching = {
      messageId,
      type: 'Notification' as const,
      topicArn,
      message: JSON.stringify(action('LAUNCHING', 'i-0launch')),
    };
    expect(await environment.client.call(receiveSnsMessageRpc, launching)).toEqual({ outcome: 'stored' });
    expect(await environment.client.call(receiveSnsMessageRpc, launching)).toEqual({ outcome: 'duplicate' });
    expect(
      await sns('Notification', { Event: 'autoscaling:TEST_NOTIFICATION', AutoScalingGroupName: group.name }),
    ).toEqual({
      outcome: 'ignored',
    });
    expect(await sns('Notification', 'not json')).toEqual({ outcome: 'ignored' });
    expect(await sns('Notification', { ...action('LAUNCHING', 'i-0other'), AutoScalingGroupName: 'not-ours' })).toEqual(
      {
        outcome: 'ignored',
      },
    );
    expect(
      await environment.client.call(receiveSnsMessageRpc, {
        ...launching,
        messageId: randomUUID(),
        topicArn: `${topicArn}-x`,
      }),
    ).toEqual({ outcome: 'unknown-topic' });

    const report = (transition: 'launching' | 'terminating', instanceId: string) =>
      environment.client.call(reportInstanceLifecycleRpc, {
        buildId: instanceBuild.id,
        tenantId: 't3',
        transition,
        instanceId,
      });
    await report('launching', 'i-0launch');
    const completed = await waitFor('the launching action completed', () =>
      cloud.state.completedActions.find((done) => done.upstreamInstanceId === 'i-0launch'),
    );
    expect(completed).toMatchObject({
      groupName: group.name,
      hookName: `${group.name}-lch-launching`,
      token: 'token-LAUNCHING-i-0launch',
    });
    // Wiped once completed: a second callback completes nothing.
    await report('launching', 'i-0launch');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(cloud.state.completedActions.filter((done) => done.upstreamInstanceId === 'i-0launch')).toHaveLength(1);

    const heartbeat = () =>
      environment.client.call(heartbeatInstanceRpc, {
        buildId: instanceBuild.id,
        tenantId: 't3',
        instanceId: reference,
      });
    expect((await heartbeat()).expectedState).toBe('up');
    expect(await sns('Notification', action('TERMINATING', upstreamId))).toEqual({ outcome: 'stored' });
    expect((await heartbeat()).expectedState).toBe('down');
    await report('terminating', upstreamId);
    await waitFor('the terminating action completed', () =>
      cloud.state.completedActions.find((done) => done.upstreamInstanceId === upstreamId),
    );
  });

  it('confirms a subscription only for a topic a build named', async () => {
    expect(await sns('SubscriptionConfirmation', 'You have chosen to subscribe', { token: 'confirm-token' })).toEqual({
      outcome: 'confirming',
    });
    await waitFor('the subscription confirmed', () =>
      cloud.state.confirmedSubscriptions.find((confirmed) => confirmed.token === 'confirm-token'),
    );
    expect(
      await environment.client.call(receiveSnsMessageRpc, {
        messageId: randomUUID(),
        type: 'SubscriptionConfirmation',
        topicArn: 'arn:aws:sns:us-east-1:999999999999:someone-else',
        message: 'You have chosen to subscribe',
        token: 'other-token',
      }),
    ).toEqual({ outcome: 'unknown-topic' });
  });
});

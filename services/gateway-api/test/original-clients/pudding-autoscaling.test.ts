import { randomUUID } from 'node:crypto';
import { describeWithServices, waitFor } from '@overcast/test-kit';
import { signingCertUrl, startSnsSigner, type SnsFields, type SnsSigner } from '../support/sns-signer';
import { send, startOriginalClientsStack, type OriginalClientsStack } from './original-clients-harness';

// travis-ci/pudding's own server tests for POST /autoscaling-group-builds (server_test.go: no body → 400, its full
// payload → 202), replayed as its test client sent them (only `Authorization: token …`), and /sns-messages as SNS
// delivers: a text/plain JSON body without credentials, signed by the test's own SNS key, whose certificate the
// gateway fetches from the SNS URL the message names (a loopback server behind the validator's request agent).

/** pudding's makeTestAutoscalingGroupBuildRequest, byte for byte, with an instance of this tenant in place of its i-abcd123. */
function puddingPayload(instanceId: string): string {
  return `{
    "autoscaling_group_builds": {
      "site": "com",
      "env": "prod",
      "queue": "fancy",
      "role": "worky",
      "instance_id": "${instanceId}",
      "role_arn": "arn:aws:iam::1234567899:role/pudding-test-foo",
      "topic_arn": "arn:aws:sns:us-east-1::1234567899:pudding-test-foo",
      "min_size": 1,
      "max_size": 10,
      "desired_capacity": 1,
      "default_cooldown": 1200,
      "instance_type": "c3.4xlarge"
    }
}`;
}

const topicArn = 'arn:aws:sns:us-east-1::1234567899:pudding-test-foo';

interface Group {
  name: string;
  instance_id: string;
  min_size: number;
  max_size: number;
  state: string;
}

describeWithServices("pudding's autoscaling groups and SNS messages against Overcast", () => {
  let stack: OriginalClientsStack;
  let signer: SnsSigner;

  beforeAll(async () => {
    signer = await startSnsSigner();
    stack = await startOriginalClientsStack({ SNS_CONFIRMATION: 'true' }, { snsCertificateAgent: signer.agent });
  });

  afterAll(async () => {
    await stack?.close();
    await signer?.close();
  });

  const token = (): [string, string][] => [['Authorization', `token ${stack.token}`]];

  /** A running instance of a build of this tenant: its build, id and the `i-<8 hex>` pudding's callers use. */
  async function bootInstance() {
    const body = JSON.stringify({
      instance_builds: {
        site: 'com',
        env: 'prod',
        queue: 'fancy',
        role: 'worky',
        instance_type: 'c3.4xlarge',
        count: 1,
        ami: 'standard-image',
      },
    });
    const accepted = await send(stack, 'POST', '/instance-builds', token(), body);
    expect(accepted.status).toBe(202);
    const buildId = (JSON.parse(accepted.body) as { instance_builds: { id: string }[] }).instance_builds[0]?.id ?? '';
    const instanceId = await waitFor('the build’s instance', async () => {
      const build = await send(stack, 'GET', `/instance-builds/${buildId}`, token());
      return (JSON.parse(build.body) as { instance_builds: { instance_ids: string[] }[] }).instance_builds[0]
        ?.instance_ids[0];
    });
    const upstreamId = await waitFor('the instance to run', async () => {
      const read = JSON.parse((await send(stack, 'GET', `/instances/${instanceId}`, token())).body) as {
        state: string;
        upstream_id: string | null;
      };
      return read.state === 'running' && read.upstream_id;
    });
    return { buildId, instanceId, upstreamId, reference: `i-${instanceId.slice(0, 8)}` };
  }

  async function buildGroup(reference: string): Promise<Group> {
    const accepted = await send(stack, 'POST', '/autoscaling-group-builds', token(), puddingPayload(reference));
    expect(accepted.status).toBe(202);
    const [group] = (JSON.parse(accepted.body) as { autoscaling_group_builds: Group[] }).autoscaling_group_builds;
    if (!group) throw new Error('no autoscaling_group_builds in the answer');
    return group;
  }

  /** As SNS posts to an HTTPS subscription: its headers, the JSON labelled text/plain, no credentials. */
  function deliver(message: SnsFields) {
    return send(
      stack,
      'POST',
      '/sns-messages',
      [
        ['x-amz-sns-message-type', message.Type ?? ''],
        ['x-amz-sns-message-id', message.MessageId ?? ''],
        ['x-amz-sns-topic-arn', message.TopicArn ?? ''],
        ['Content-Type', 'text/plain; charset=UTF-8'],
        ['User-Agent', 'Amazon Simple Notification Service Agent'],
      ],
      JSON.stringify(message),
    );
  }

  const notification = (message: object): SnsFields => ({
    Type: 'Notification',
    MessageId: randomUUID(),
    TopicArn: topicArn,
    Subject: 'Auto Scaling:  Lifecycle action',
    Message: JSON.stringify(message),
    Timestamp: new Date().toISOString(),
  });

  it('answers an empty body 400 and a body without fields with pudding’s messages in its order', async () => {
    const empty = await send(stack, 'POST', '/autoscaling-group-builds', token());
    expect(empty.status).toBe(400);

    const bare = await send(stack, 'POST', '/autoscaling-group-builds', token(), '{"autoscaling_group_builds": {}}');
    expect(bare.status).toBe(400);
    expect((JSON.parse(bare.body) as { errors: { details: string }[] }).errors.map((error) => error.details)).toEqual([
      'empty "instance_id"',
      'empty "site" param',
      'empty "env" param',
      'empty "queue" param',
      'empty "role" param',
      'empty "role_arn" param',
      'empty "topic_arn" param',
    ]);
  });

  it('answers pudding’s full payload 202 and builds the group, its policies, alarms and hooks', async () => {
    const { reference, upstreamId } = await bootInstance();
    const group = await buildGroup(reference);

    expect(group).toMatchObject({ instance_id: upstreamId, min_size: 1, max_size: 10, state: 'pending' });
    await waitFor('the terminating hook', () => stack.broker.autoscaling.hooks.get(`${group.name}-lch-terminating`));
    expect(stack.broker.autoscaling.groups.get(group.name)).toMatchObject({
      upstreamInstanceId: upstreamId,
      defaultCooldown: 1200,
    });
    expect([...stack.broker.autoscaling.alarms.keys()]).toEqual(
      expect.arrayContaining([`${group.name}-add-capacity`, `${group.name}-remove-capacity`]),
    );
    const unknown = await send(stack, 'POST', '/autoscaling-group-builds', token(), puddingPayload('i-00000000'));
    expect(unknown.status).toBe(422);
    expect(JSON.parse(unknown.body)).toMatchObject({ errors: [{ details: 'no instance "i-00000000"' }] });
  });

  it('acts on signed SNS messages: confirms the topic’s subscription, holds a terminating instance down, completes its action', async () => {
    const { buildId, upstreamId, reference } = await bootInstance();
    const group = await buildGroup(reference);

    const confirmation = signer.sign({
      Type: 'SubscriptionConfirmation',
      MessageId: randomUUID(),
      Token: 'confirm-token-1',
      TopicArn: topicArn,
      Message: `You have chosen to subscribe to the topic ${topicArn}.`,
      SubscribeURL: `https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&Token=confirm-token-1`,
      Timestamp: new Date().toISOString(),
    });
    const confirmed = await deliver(confirmation);
    expect(confirmed.status).toBe(200);
    expect(JSON.parse(confirmed.body)).toEqual({ sns_messages: [confirmation] });
    await waitFor('the subscription confirmed', () =>
      stack.broker.autoscaling.confirmedSubscriptions.find((subscription) => subscription.token === 'confirm-token-1'),
    );

    const heartbeat = async () => {
      const answer = await send(
        stack,
        'POST',
        `/instance-heartbeats/${buildId}`,
        [...token(), ['Content-Type', 'application/x-www-form-urlencoded']],
        `instance-id=${reference}`,
      );
      return (JSON.parse(answer.body) as { expected_state: string }).expected_state;
    };
    expect(await heartbeat()).toBe('up');
    const terminating = signer.sign(
      notification({
        AutoScalingGroupName: group.name,
        LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
        LifecycleActionToken: 'action-token-1',
        EC2InstanceId: upstreamId,
        LifecycleHookName: `${group.name}-lch-terminating`,
      }),
    );
    expect((await deliver(terminating)).status).toBe(200);
    expect(await heartbeat()).toBe('down');

    // The instance's stop hook, as pudding's example init script calls it: the group may go on terminating it.
    const stopped = await send(
      stack,
      'POST',
      `/instance-terminations/${buildId}`,
      token(),
      JSON.stringify({ instance_id: upstreamId }),
    );
    expect(JSON.parse(stopped.body)).toEqual({ yay: upstreamId });
    const completed = await waitFor('the lifecycle action completed', () =>
      stack.broker.autoscaling.completedActions.find((action) => action.token === 'action-token-1'),
    );
    expect(completed).toMatchObject({ groupName: group.name, hookName: `${group.name}-lch-terminating` });
  });

  it('makes an instance its group launched one of the tenant’s: its heartbeats, the listing, DELETE by its EC2 id', async () => {
    const { buildId, reference } = await bootInstance();
    const group = await buildGroup(reference);
    const launchedId = 'i-0a5c0de0000000001';
    const launching = signer.sign(
      notification({
        AutoScalingGroupName: group.name,
        LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING',
        LifecycleActionToken: 'action-token-2',
        EC2InstanceId: launchedId,
        LifecycleHookName: `${group.name}-lch-launching`,
      }),
    );
    expect((await deliver(launching)).status).toBe(200);

    // The group boots the instance's user data: its init script heartbeats with the build's id and its own EC2 id.
    const heartbeat = () =>
      send(
        stack,
        'POST',
        `/instance-heartbeats/${buildId}`,
        [...token(), ['Content-Type', 'application/x-www-form-urlencoded']],
        `instance-id=${launchedId}`,
      );
    const answered = await heartbeat();
    expect(answered.status).toBe(200);
    const instance = JSON.parse(answered.body) as { id: string; expected_state: string };
    expect(instance).toMatchObject({ site: 'com', env: 'prod', queue: 'fancy', role: 'worky', expected_state: 'up' });

    const listed = await send(stack, 'GET', '/instances?site=com&env=prod&role=worky', token());
    expect(listed.status).toBe(200);
    const { instances } = JSON.parse(listed.body) as { instances: { id: string; name: string }[] };
    expect(instances).toContainEqual(
      expect.objectContaining({ id: instance.id, name: expect.stringMatching(/^worky-com-prod-fancy-/) }),
    );

    const deleted = await send(stack, 'DELETE', `/instances/${launchedId}`, token());
    expect(deleted.status).toBe(202);
    await waitFor('the instance terminated through its group', () =>
      stack.broker.autoscaling.terminatedInGroup.includes(launchedId),
    );
    expect((JSON.parse((await heartbeat()).body) as { expected_state: string }).expected_state).toBe('down');
  });

  it('refuses unsigned, forged and foreign-certificate messages, naming why, and acts on none', async () => {
    const signed = signer.sign(notification({ Event: 'autoscaling:TEST_NOTIFICATION' }));
    expect((await deliver(signed)).status).toBe(200);
    // Verified against the certificate fetched from the message's SNS URL (cached by URL after that).
    expect(signer.downloads()).toBe(1);

    const { Signature: _signature, ...unsigned } = signed;
    const withoutSignature = await deliver(unsigned);
    expect(withoutSignature.status).toBe(400);
    expect(JSON.parse(withoutSignature.body)).toMatchObject({ error: { details: [{ path: 'body.Signature' }] } });

    const forged = await deliver({ ...signed, Message: '{"EC2InstanceId":"i-forged"}' });
    expect(forged.status).toBe(403);
    expect(JSON.parse(forged.body)).toMatchObject({
      error: { code: 'forbidden', details: [{ path: 'body.Signature', message: 'Invalid Signature' }] },
      errors: [{ details: 'Invalid Signature' }],
    });

    const downloads = signer.downloads();
    const foreign = await deliver({
      ...signed,
      SigningCertURL: signingCertUrl.replace('sns.us-east-1.amazonaws.com', 'sns.example.com'),
    });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body)).toMatchObject({ error: { details: [{ path: 'body.SigningCertURL' }] } });
    expect(signer.downloads()).toBe(downloads);
  });
});

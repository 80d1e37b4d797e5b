import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '@overcast/cli';
import { createClient, OvercastApiError, type OvercastClient } from '@overcast/sdk';
import { describeWithServices, waitFor } from '@overcast/test-kit';
import { startOriginalClientsStack, type OriginalClientsStack } from './original-clients/original-clients-harness';
import { startSnsSigner, type SnsSigner } from './support/sns-signer';
import { specCheckedFetch } from './support/spec-conformance';

// client.autoscalingGroups and `overcast autoscaling-groups create` against the real gateway and broker (fake cloud
// with autoscaling groups): what they send passes the spec, what they answer is the build.

describeWithServices('autoscaling groups through the SDK and the CLI', () => {
  let stack: OriginalClientsStack;
  let client: OvercastClient;
  let home: string;
  let signer: SnsSigner;
  const { fetch: checkedFetch, problems } = specCheckedFetch();

  beforeAll(async () => {
    signer = await startSnsSigner();
    // The operator's default: SNS_CONFIRMATION unset.
    stack = await startOriginalClientsStack({}, { snsCertificateAgent: signer.agent });
    client = createClient({ baseUrl: stack.gateway.url, token: stack.token });
    home = mkdtempSync(path.join(tmpdir(), 'overcast-autoscaling-cli-'));
  });

  afterAll(async () => {
    await stack?.close();
    await signer?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  async function runningInstance(): Promise<string> {
    const created = await client.instances.create({ provider: 'fake', image: 'standard-image' });
    await client.instances.waitFor(created.id, 'running', { timeoutMs: 30_000, intervalMs: 100 });
    return created.id;
  }

  const lifecycle = {
    role_arn: 'arn:aws:iam::123456789012:role/lifecycle',
    topic_arn: 'arn:aws:sns:us-east-1:123456789012:lifecycle',
  };

  it('creates a build with the SDK and refuses an unknown instance with the field named', async () => {
    const instanceId = await runningInstance();
    const build = await client.autoscalingGroups.create({
      instance_id: instanceId,
      site: 'org',
      env: 'prod',
      queue: 'docker',
      role: 'worker',
      ...lifecycle,
      min_size: 1,
      max_size: 3,
      desired_capacity: 1,
      scale_out_metric_threshold: 75,
      scale_in_metric_name: '',
    });
    // What the body gives is taken; what it leaves out or leaves empty keeps pudding's default.
    expect(build).toMatchObject({
      overcast_instance_id: instanceId,
      state: 'pending',
      scale_out_metric_threshold: 75,
      scale_out_cooldown: 300,
      scale_in_metric_threshold: 10,
      scale_in_metric_name: 'CPUUtilization',
    });
    await waitFor('the group', () => stack.broker.autoscaling.hooks.get(`${build.name}-lch-launching`));

    const refused = await client.autoscalingGroups
      .create({ instance_id: 'i-00000000', site: 'org', env: 'prod', queue: 'docker', role: 'worker', ...lifecycle })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OvercastApiError);
    expect(refused).toMatchObject({
      status: 422,
      details: [{ path: 'body.autoscaling_group_builds.instance_id', message: 'no instance "i-00000000"' }],
    });
  });

  it('creates a build with overcast autoscaling-groups create, as JSON fields', async () => {
    const instanceId = await runningInstance();
    let stdout = '';
    let stderr = '';
    const code = await runCli(
      [
        'autoscaling-groups',
        'create',
        '--instance',
        `i-${instanceId}`,
        '--site',
        'org',
        '--env',
        'prod',
        '--queue',
        'docker',
        '--role',
        'worker',
        '--role-arn',
        lifecycle.role_arn,
        '--topic-arn',
        lifecycle.topic_arn,
        '--max-size',
        '4',
        '--json',
        'name,state,max_size,overcast_instance_id',
      ],
      {
        stdout: (text) => (stdout += text),
        stderr: (text) => (stderr += text),
        env: { OVERCAST_URL: stack.gateway.url, OVERCAST_TOKEN: stack.token },
        homeDirectory: home,
      },
    );
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const printed = JSON.parse(stdout) as {
      name: string;
      state: string;
      max_size: number;
      overcast_instance_id: string;
    };
    expect(printed).toMatchObject({ state: 'pending', max_size: 4, overcast_instance_id: instanceId });
    await waitFor('the group', () => stack.broker.autoscaling.groups.get(printed.name));
  });

  it('answers as the spec documents (202, 422, 400, 403, 200) and confirms nothing unless SNS_CONFIRMATION is set', async () => {
    const build = (instanceId: string) =>
      checkedFetch(`${stack.gateway.url}/autoscaling-group-builds`, {
        method: 'POST',
        headers: { authorization: `token ${stack.token}` },
        body: JSON.stringify({
          autoscaling_group_builds: {
            instance_id: instanceId,
            site: 'org',
            env: 'prod',
            queue: 'q',
            role: 'r',
            ...lifecycle,
          },
        }),
      });
    expect((await build(await runningInstance())).status).toBe(202);
    expect((await build('i-00000000')).status).toBe(422);
    expect(
      (
        await checkedFetch(`${stack.gateway.url}/autoscaling-group-builds`, {
          method: 'POST',
          headers: { authorization: `token ${stack.token}` },
        })
      ).status,
    ).toBe(400);
    const message = {
      Type: 'Notification',
      MessageId: 'm-1',
      TopicArn: lifecycle.topic_arn,
      Message: '{}',
      Timestamp: new Date().toISOString(),
      SignatureVersion: '1',
      Signature: 'bm90IGEgc2lnbmF0dXJl',
      SigningCertURL: 'https://sns.example.com/SimpleNotificationService-0123456789abcdef0123456789abcdef.pem',
    };
    const post = (body: object) =>
      checkedFetch(`${stack.gateway.url}/sns-messages`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=UTF-8' },
        body: JSON.stringify(body),
      });
    expect((await post({ ...message, SignatureVersion: '3' })).status).toBe(400);
    // Signed and of a topic a build named, but the operator did not enable SNS_CONFIRMATION: accepted, not confirmed.
    const confirmation = signer.sign({
      Type: 'SubscriptionConfirmation',
      MessageId: 'm-confirm',
      Token: 'not-to-be-confirmed',
      TopicArn: lifecycle.topic_arn,
      Message: 'You have chosen to subscribe',
      SubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription',
      Timestamp: new Date().toISOString(),
    });
    expect((await post(confirmation)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(stack.broker.autoscaling.confirmedSubscriptions).toEqual([]);
    expect((await post(message)).status).toBe(403);
    expect(problems).toEqual([]);
  });
});

import {
  createInstanceBuildRpc,
  getInitScriptRpc,
  getInstanceBuildRpc,
  getInstanceRpc,
  registerImageRpc,
  updateInstanceBuildRpc,
  type AppError,
  type CreateInstanceBuildRequest,
  type InstanceBuild,
} from '@overcast/contracts';
import { describeWithPostgres, startWebhookRecorder, waitFor, type WebhookRecorder } from '@overcast/test-kit';
import { createSlackWebhookNotifier } from '../src/notifications/slack-webhook-notifier';
import { createProviderRegistry } from '@overcast/providers';
import { createBrokerEnvironment, type BrokerEnvironment } from './support/broker-environment';
import { ObservedProvider } from './support/observed-provider';

describeWithPostgres('instance builds (pudding)', () => {
  let environment: BrokerEnvironment;
  let webhook: WebhookRecorder;
  // The fake cloud's AMIs: one a build names, one the test registers as its role's active image, the newest for web.
  const fake = new ObservedProvider({
    images: [
      { id: 'ami-given', name: 'worker-given', roles: ['worker'], createdAt: new Date('2026-10-01') },
      { id: 'ami-catalog', name: 'worker-catalog', roles: [], createdAt: new Date('2026-09-01') },
      { id: 'ami-newest-web', name: 'web-2026', roles: ['web'], createdAt: new Date() },
    ],
  });

  beforeAll(async () => {
    environment = await createBrokerEnvironment();
    webhook = await startWebhookRecorder();
    await environment.startReplica({
      providers: createProviderRegistry([fake]),
      notifier: createSlackWebhookNotifier({ url: webhook.url }),
      config: { INIT_SCRIPT_TTL_SECONDS: '60' },
    });
  });

  afterAll(async () => {
    await environment?.close();
    await webhook?.close();
  });

  const request: CreateInstanceBuildRequest = {
    tenantId: 't1',
    site: 'org',
    env: 'staging',
    role: 'worker',
    queue: 'docker',
    instanceType: 'standard',
    count: 2,
    image: 'ami-given',
    slackChannel: '#builds',
    bootInstance: true,
    gatewayUrl: 'https://overcast.example',
  };

  async function settled(tenantId: string, build: InstanceBuild): Promise<InstanceBuild> {
    return waitFor('the build to leave pending', async () => {
      const current = await environment.client.call(getInstanceBuildRpc, { tenantId, id: build.id });
      return current.state !== 'pending' && current;
    });
  }

  it('starts one tagged instance (count is the VM concurrency its script gets) that fetches the init script with the build credentials, and notifies', async () => {
    const { client } = environment;
    const accepted = await client.call(createInstanceBuildRpc, request);
    expect(accepted).toMatchObject({ state: 'pending', provider: 'fake', image: 'ami-given', instanceIds: [] });

    const build = await settled('t1', accepted);
    expect(build.state).toBe('started');
    expect(build.instanceIds).toHaveLength(1);
    for (const id of build.instanceIds) {
      await waitFor(
        'running',
        async () => (await client.call(getInstanceRpc, { tenantId: 't1', id })).state === 'running',
      );
    }
    const inputs = fake.createInputs.filter((input) => build.instanceIds.includes(input.id));
    expect(inputs).toHaveLength(1);
    const userData = inputs[0]?.userData ?? '';
    const match = /^#include https:\/\/x:([0-9a-f]+)@overcast\.example\/init-scripts\/([0-9a-f-]+)\n$/.exec(userData);
    expect(match?.[2]).toBe(build.id);
    expect(inputs[0]).toMatchObject({
      image: 'ami-given',
      securityGroupId: 'sg-fake-overcast-ssh',
      tags: { role: 'worker', site: 'org', env: 'staging', queue: 'docker', 'instance-build-id': build.id },
    });

    // The instance's copy carries the build's credentials in its URLs (pudding's callbacks need them); the stored
    // copy a person reads with a token has none.
    const secret = match?.[1] ?? 'no secret';
    const { script } = await client.call(getInitScriptRpc, { buildId: build.id, secret });
    expect(script).toContain("export OVERCAST_QUEUE='docker'");
    expect(script).toContain("export OVERCAST_INSTANCE_COUNT='2'");
    expect(script).toContain(
      `export OVERCAST_INSTANCE_BUILD_URL='https://x:${secret}@overcast.example/instance-builds/`,
    );
    const stored = (await client.call(getInitScriptRpc, { buildId: build.id, tenantId: 't1' })).script;
    expect(stored).not.toContain(secret);
    expect(stored).toBe(script.replace(`x:${secret}@`, ''));

    await waitFor('the started notification', () =>
      webhook.received.find((message) =>
        String(message.text).includes(`Started instance \`${build.instanceIds[0]}\` for instance build *${build.id}*`),
      ),
    );
    expect(webhook.received.find((message) => String(message.text).includes(build.id))?.channel).toBe('#builds');
  });

  it('answers not found for a wrong secret, another tenant, or an unknown build', async () => {
    const { client } = environment;
    const build = await settled('t1', await client.call(createInstanceBuildRpc, request));
    for (const attempt of [
      { buildId: build.id, secret: 'wrong' },
      { buildId: build.id, tenantId: 't2' },
      { buildId: '5f1a0e7c-4c6a-4e0a-9a53-2f3b8c1d9e01', secret: 'x' },
      { buildId: 'not-a-uuid', tenantId: 't1' },
    ]) {
      const error = await client.call(getInitScriptRpc, attempt).catch((thrown: unknown) => thrown);
      expect((error as AppError).code).toBe('not_found');
    }
  });

  it('notifies on PATCH state=finished (one "#" before the channel) and does nothing for other states', async () => {
    const { client } = environment;
    const build = await settled('t1', await client.call(createInstanceBuildRpc, { ...request, count: 1 }));
    expect(await client.call(updateInstanceBuildRpc, { tenantId: 't1', id: build.id, state: 'started' })).toEqual({
      notified: false,
    });
    const finished = await client.call(updateInstanceBuildRpc, {
      tenantId: 't1',
      id: build.id,
      state: 'finished',
      instanceId: 'i-abcd1234',
      slackChannel: 'general',
    });
    expect(finished).toEqual({ notified: true });
    const notice = await waitFor('the finished notification', () =>
      webhook.received.find((message) => String(message.text).startsWith('Finished starting instance `i-abcd1234`')),
    );
    expect(notice.channel).toBe('#general');
    expect((await client.call(getInstanceBuildRpc, { tenantId: 't1', id: build.id })).state).toBe('finished');
  });

  it("boots the active catalog image of the role, else the provider's newest, else errs naming both", async () => {
    const { client } = environment;
    await client.call(registerImageRpc, {
      tenantId: 't3',
      provider: 'fake',
      imageId: 'ami-catalog',
      role: 'worker',
      active: true,
    });
    const fromCatalog = await client.call(createInstanceBuildRpc, {
      ...request,
      tenantId: 't3',
      image: undefined,
      count: 1,
    });
    expect(fromCatalog.image).toBe('ami-catalog');

    const fromProvider = await settled(
      't3',
      await client.call(createInstanceBuildRpc, {
        ...request,
        tenantId: 't3',
        image: undefined,
        role: 'web',
        count: 1,
      }),
    );
    expect(fromProvider).toMatchObject({ state: 'started', image: 'ami-newest-web' });

    const none = await settled(
      't3',
      await client.call(createInstanceBuildRpc, { ...request, tenantId: 't3', image: undefined, role: 'db', count: 1 }),
    );
    expect(none).toMatchObject({
      state: 'errored',
      errorReason: 'no active image for provider fake and role db',
      instanceIds: [],
    });
  });

  it('refuses a build naming an image its provider does not have, 422 naming the field, before anything is written', async () => {
    const { client } = environment;
    const refused = await client
      .call(createInstanceBuildRpc, { ...request, tenantId: 't4', image: 'ami-deleted' })
      .catch((error: unknown) => error as AppError);
    expect(refused).toMatchObject({
      code: 'unprocessable',
      details: [
        {
          path: 'body.instance_builds.image',
          message: 'unknown image "ami-deleted" for provider "fake" (GET /images lists the images it can boot)',
        },
      ],
    });
    const launches = fake.fake.launches;
    await client.call(createInstanceBuildRpc, { ...request, tenantId: 't4', image: 'ami-given', bootInstance: false });
    expect(fake.fake.launches).toBe(launches);
  });

  it('only prepares the init script when boot_instance is false', async () => {
    const { client } = environment;
    const build = await settled('t1', await client.call(createInstanceBuildRpc, { ...request, bootInstance: false }));
    expect(build).toMatchObject({ state: 'started', instanceIds: [], securityGroupId: null });
    const { script } = await client.call(getInitScriptRpc, { buildId: build.id, tenantId: 't1' });
    expect(script).toContain(build.id);
  });
});

import type { Database } from '@overcast/db';
import { createAmqpBus, deleteAmqpTopology, type Bus } from '@overcast/messaging';
import { describeWithServices, testAmqpUrl, uniqueName, type TestDatabase } from '@overcast/test-kit';
import { startBrokerStub, makeInstance, type BrokerStub } from './support/broker-stub';
import { specCheckedFetch } from './support/spec-conformance';
import {
  authorization,
  createToken,
  openMigratedDatabase,
  startGateway,
  type RunningGateway,
} from './support/gateway-harness';

interface ErrorBody {
  error: { code: string; message: string; details: { path?: string; message: string }[] };
  errors: unknown[];
}

const basic = (user: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

// The routes' RPCs go through the real RabbitMQ to a stub that answers by the instance broker's contracts.
describeWithServices('instance routes over the bus', () => {
  const { fetch, problems } = specCheckedFetch();
  let testDatabase: TestDatabase;
  let database: Database;
  let bus: Bus;
  let broker: BrokerStub;
  let gateway: RunningGateway;
  let admin: string;
  let developer: string;
  let foreigner: string;
  const namespace = uniqueName('gateway-test');

  beforeAll(async () => {
    ({ testDatabase, database } = await openMigratedDatabase());
    bus = createAmqpBus({ url: testAmqpUrl(), namespace });
    await bus.start();
    broker = await startBrokerStub(bus);
    gateway = await startGateway({
      database,
      bus,
      env: { STATUS_SERVICES: 'instance-broker,registry', RPC_TIMEOUT_MS: '2000' },
    });
    [admin, developer, foreigner] = await Promise.all([
      createToken(database, 'admin'),
      createToken(database, 'developer'),
      createToken(database, 'developer', 'someone-else'),
    ]);
  });

  afterAll(async () => {
    await gateway.stop();
    await broker.stop();
    await bus.stop();
    await deleteAmqpTopology({ url: testAmqpUrl(), namespace, services: ['instance-broker', 'gateway-api'] });
    await database.close();
    await testDatabase.drop();
  });

  const call = (method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${gateway.url}${path}`, {
      method,
      headers: {
        ...authorization(token),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const lastRequest = (type: string) =>
    [...broker.requests].reverse().find((request) => request.type === type)?.payload;

  it('creates an instance in the caller’s tenant, forwarding the Idempotency-Key, and answers 200 (cloud-brain’s status) with Location', async () => {
    const body = { provider: 'fake', image: 'image-2016-01-01', env: 'staging', site: 'org' };
    const first = await call('POST', '/instances', developer, body, { 'idempotency-key': 'create-worker-1' });
    expect(first.status).toBe(200);
    const instance = (await first.json()) as { id: string; state: string; instance_type: string; ip_address: null };
    expect(instance).toMatchObject({ state: 'creating', instance_type: 'standard', ip_address: null });
    expect(first.headers.get('location')).toBe(`/instances/${instance.id}`);
    const tenantId = broker.instances.get(instance.id)?.tenantId;
    expect(lastRequest('instance.create')).toMatchObject({
      tenantId,
      idempotencyKey: 'create-worker-1',
      instanceType: 'standard',
    });

    const retried = (await (
      await call('POST', '/instances', developer, body, { 'idempotency-key': 'create-worker-1' })
    ).json()) as { id: string };
    expect(retried.id).toBe(instance.id);
  });

  it('lists with filters coerced to their types, and pages', async () => {
    const response = await call('GET', '/instances?env=staging&limit=2&state=creating', developer);
    expect(response.status).toBe(200);
    const page = (await response.json()) as { instances: unknown[]; next_cursor: null };
    expect(page.next_cursor).toBeNull();
    expect(lastRequest('instance.list')).toMatchObject({ env: 'staging', limit: 2, state: 'creating' });
  });

  it('answers 410 with the instance once it is terminated, and 200 with the instance to a termination', async () => {
    const tenantId = [...broker.instances.values()][0]?.tenantId ?? '';
    const terminated = makeInstance(tenantId, { state: 'terminated' });
    broker.instances.set(terminated.id, terminated);
    const gone = await call('GET', `/instances/${terminated.id}`, developer);
    expect(gone.status).toBe(410);
    expect(await gone.json()).toMatchObject({ id: terminated.id, state: 'terminated' });

    const running = makeInstance(tenantId, { state: 'running' });
    broker.instances.set(running.id, running);
    const terminating = await call('DELETE', `/instances/${running.id}`, developer);
    expect(terminating.status).toBe(200);
    expect(await terminating.json()).toMatchObject({ state: 'terminating' });
  });

  it("answers 404 in cloud-brain's shape for another tenant's instance", async () => {
    const [id] = [...broker.instances.keys()];
    const response = await call('GET', `/instances/${id}`, foreigner);
    expect(response.status).toBe(404);
    const body = (await response.json()) as ErrorBody;
    expect(body.error.code).toBe('not_found');
    expect(body.errors).toEqual(['instance not found']);
  });

  it("serves a local instance's console as raw text, and 422 or 404 in cloud-brain's shape otherwise", async () => {
    const tenantId = [...broker.instances.values()][0]?.tenantId ?? '';
    const local = makeInstance(tenantId, { provider: 'local', state: 'running' });
    broker.instances.set(local.id, local);
    broker.consoles.set(local.id, 'boot-agent: running init script\n{"not": "json-encoded"}\nbooting worker\n');
    const response = await call('GET', `/instances/${local.id}/console`, developer);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await response.text()).toBe('boot-agent: running init script\n{"not": "json-encoded"}\nbooting worker\n');
    expect(lastRequest('instance.console')).toEqual({ tenantId, id: local.id });

    const aws = makeInstance(tenantId, { provider: 'aws' });
    broker.instances.set(aws.id, aws);
    const unkept = await call('GET', `/instances/${aws.id}/console`, developer);
    expect(unkept.status).toBe(422);
    expect(((await unkept.json()) as ErrorBody).errors).toEqual(['provider aws keeps no console']);

    const hidden = await call('GET', `/instances/${local.id}/console`, foreigner);
    expect(hidden.status).toBe(404);
    expect(((await hidden.json()) as ErrorBody).errors).toEqual(['instance not found']);
  });

  it('starts an instance build with pudding’s body, the slack-channel override and the gateway’s URL', async () => {
    const response = await call('POST', '/instance-builds?slack-channel=ops', developer, {
      instance_builds: {
        site: 'org',
        env: 'test',
        instance_type: 'standard',
        count: 2,
        queue: 'docker',
        role: 'worker',
        ami: 'ami-1',
        slack_channel: 'dev',
      },
    });
    expect(response.status).toBe(202);
    const body = (await response.json()) as {
      instance_builds: { id: string; state: string; boot_instance: boolean; image: string }[];
    };
    expect(body.instance_builds).toEqual([
      expect.objectContaining({ state: 'pending', boot_instance: true, image: 'ami-1' }),
    ]);
    expect(lastRequest('instance-build.create')).toMatchObject({
      slackChannel: 'ops',
      image: 'ami-1',
      gatewayUrl: gateway.url,
    });
  });

  it('takes build progress form-encoded or in the query, like pudding', async () => {
    const [build] = [...broker.builds.values()];
    const finished = await fetch(`${gateway.url}/instance-builds/${build?.id}`, {
      method: 'PATCH',
      headers: { ...authorization(developer), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'state=finished&instance-id=i-abcd1234&slack-channel=general',
    });
    expect(await finished.json()).toEqual({ sure: 'why not' });
    expect(lastRequest('instance-build.update')).toMatchObject({
      state: 'finished',
      instanceId: 'i-abcd1234',
      slackChannel: 'general',
    });
    const started = await fetch(`${gateway.url}/instance-builds/${build?.id}?state=started`, {
      method: 'PATCH',
      headers: authorization(developer),
    });
    expect(await started.json()).toEqual({ no: 'op' });
  });

  it("serves the init script to the build's own Basic credentials or a token, and 404 to another build's", async () => {
    const [build] = [...broker.builds.values()];
    const path = `/init-scripts/${build?.id}`;
    const withSecret = await fetch(`${gateway.url}${path}`, { headers: basic('x', 'right-secret') });
    expect(withSecret.status).toBe(200);
    expect(withSecret.headers.get('content-type')).toBe('text/x-shellscript; charset=utf-8');
    expect(await withSecret.text()).toContain('booting worker for org/test/docker');
    expect(lastRequest('init-script.get')).toEqual({ buildId: build?.id, secret: 'right-secret' });

    const withToken = await call('GET', path, developer);
    expect(withToken.status).toBe(200);

    const wrong = await fetch(`${gateway.url}${path}`, { headers: basic('x', 'another-builds-secret') });
    expect(wrong.status).toBe(404);
    expect(((await wrong.json()) as ErrorBody).errors).toEqual([{ details: 'instance build not found' }]);
    expect((await fetch(`${gateway.url}${path}`)).status).toBe(401);
  });

  it('lets only admins change the image catalog, and filters by the literal active flag', async () => {
    const image = {
      provider: 'aws',
      image_id: 'ami-00aabbcc',
      role: 'worker',
      name: 'worker-2026-11-22',
      active: true,
    };
    expect((await call('POST', '/images', developer, image)).status).toBe(403);
    const registered = await call('POST', '/images', admin, image);
    expect(registered.status).toBe(201);
    const listed = (await (await call('GET', '/images?active=true', developer)).json()) as {
      images: { image_id: string }[];
    };
    expect(listed.images.map((entry) => entry.image_id)).toEqual(['ami-00aabbcc']);
    expect(lastRequest('image.list')).toMatchObject({ active: true });
    expect((await call('GET', '/images?active=yes', developer)).status).toBe(400);
  });

  it('reports which services answer on /readyz and /status', async () => {
    const ready = await fetch(`${gateway.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { database: true, broker: true },
      services: { 'instance-broker': true, registry: false },
    });
    const status = (await (await call('GET', '/status', developer)).json()) as {
      status: string;
      services: { service: string; status: string }[];
    };
    expect(status.status).toBe('degraded');
    expect(status.services.map(({ service, status: state }) => `${service}:${state}`)).toEqual([
      'gateway-api:up',
      'instance-broker:up',
      'registry:down',
    ]);
  });

  it('answers 504 in the legacy shape when the broker does not reply in time', async () => {
    await broker.stop();
    const response = await call('GET', '/instances', developer);
    expect(response.status).toBe(504);
    const body = (await response.json()) as ErrorBody;
    expect(body.error.code).toBe('timeout');
    expect(body.errors).toHaveLength(1);
    broker = await startBrokerStub(bus);
  });

  it('answered every request as the OpenAPI spec documents', () => {
    expect(problems).toEqual([]);
  });
});

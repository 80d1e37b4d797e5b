import type { Database } from '@overcast/db';
import { createAmqpBus, deleteAmqpTopology, type Bus } from '@overcast/messaging';
import { describeWithServices, testAmqpUrl, uniqueName, type TestDatabase } from '@overcast/test-kit';
import {
  authorization,
  createToken,
  openMigratedDatabase,
  startGateway,
  type RunningGateway,
} from './support/gateway-harness';
import { startRealAppManager, type RealAppManager } from './support/real-app-manager';
import { specCheckedFetch } from './support/spec-conformance';

interface ErrorBody {
  error: { code: string; details: { path?: string; message: string }[] };
}
interface AppBody {
  app: {
    name: string;
    image_tag: string | null;
    before_deploy: string | null;
    env_vars: Record<string, string>;
    release: number;
    deploy_state: string | null;
    services: { name: string; cpu: number; memory: number; command: string | null; status: string; scale: number }[];
  };
}

// Barcelona's request specs (FACTS 3.5) on the README's paths, through the real gateway, RabbitMQ and app manager.
describeWithServices('app routes over the bus', () => {
  const { fetch: checkedFetch, problems } = specCheckedFetch();
  let testDatabase: TestDatabase;
  let database: Database;
  let bus: Bus;
  let appManager: RealAppManager;
  let gateway: RunningGateway;
  let admin: string;
  let developer: string;
  let foreigner: string;
  const namespace = uniqueName('gateway-apps-test');

  beforeAll(async () => {
    ({ testDatabase, database } = await openMigratedDatabase());
    bus = createAmqpBus({ url: testAmqpUrl(), namespace });
    await bus.start();
    appManager = await startRealAppManager(testDatabase.url, bus);
    gateway = await startGateway({ database, bus });
    [admin, developer, foreigner] = await Promise.all([
      createToken(database, 'admin'),
      createToken(database, 'developer'),
      createToken(database, 'developer', 'someone-else'),
    ]);
  });

  afterAll(async () => {
    await gateway.stop();
    await appManager.stop();
    await bus.stop();
    await deleteAmqpTopology({
      url: testAmqpUrl(),
      namespace,
      queues: ['app-manager', 'app-manager.instance-events'],
      services: ['app-manager', 'gateway-api', 'instance-broker'],
    });
    await database.close();
    await testDatabase.drop();
  });

  const send = (method: string, path: string, token: string, body?: unknown) =>
    checkedFetch(`${gateway.url}${path}`, {
      method,
      headers: { ...authorization(token), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const json = async <T>(response: Response) => (await response.json()) as T;

  async function deployed(app: string, release: number) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const body = await json<AppBody>(await send('GET', `/apps/${app}`, developer));
      if (body.app.release === release && body.app.deploy_state === 'done') return body.app;
      if (Date.now() > deadline) throw new Error(`${app} release ${release} never deployed: ${JSON.stringify(body)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('lets admins write districts (a developer gets 403) and everyone read them', async () => {
    expect((await send('POST', '/districts', developer, { name: 'default', provider: 'fake' })).status).toBe(403);
    const created = await send('POST', '/districts', admin, { name: 'default', provider: 'fake', vpc_id: 'vpc-1' });
    expect(created.status).toBe(200);
    expect((await json<{ district: { name: string; vpc_id: string } }>(created)).district).toMatchObject({
      name: 'default',
      vpc_id: 'vpc-1',
    });
    expect((await send('PATCH', '/districts/default', developer, { s3_bucket_name: 'b' })).status).toBe(403);
    const updated = await send('PATCH', '/districts/default', admin, { s3_bucket_name: 'b' });
    expect((await json<{ district: { s3_bucket_name: string } }>(updated)).district.s3_bucket_name).toBe('b');
    expect((await send('GET', '/districts/default', developer)).status).toBe(200);
    const list = await json<{ districts: { name: string }[] }>(await send('GET', '/districts', developer));
    expect(list.districts.map((district) => district.name)).toEqual(['default']);
    expect((await send('GET', '/districts/default', foreigner)).status).toBe(404);
    const launched = await send('POST', '/districts/default/launch_instances', developer, {
      count: 1,
      instance_type: 't2.micro',
    });
    expect(launched.status).toBe(204);

    await send('POST', '/districts', admin, { name: 'doomed', provider: 'fake' });
    expect((await send('DELETE', '/districts/doomed', developer)).status).toBe(403);
    expect((await send('DELETE', '/districts/doomed', admin)).status).toBe(204);
  });

  it('refuses a bad district or app body with 400 naming the field', async () => {
    const badName = await send('POST', '/districts', admin, { name: '-bad-', provider: 'gce' });
    expect(badName.status).toBe(400);
    const paths = (await json<ErrorBody>(badName)).error.details.map((detail) => detail.path);
    expect(paths).toEqual(expect.arrayContaining(['body.name', 'body.provider']));
    const badService = await send('POST', '/districts/default/apps', developer, {
      name: 'x1',
      services: [{ name: 'web', cpu: 0 }],
    });
    expect(badService.status).toBe(400);
    expect((await json<ErrorBody>(badService)).error.details).toEqual([
      expect.objectContaining({ path: 'body.services[0].cpu' }),
    ]);
    // A six-field cron (seconds first) parsed as a valid schedule before, and failed the deploy on aws.
    const badSchedule = await send('POST', '/districts/default/apps', developer, {
      name: 'x2',
      services: [{ name: 'tick', command: 'rake tick', schedule: '0 * * * * *' }],
    });
    expect(badSchedule.status).toBe(400);
    expect((await json<ErrorBody>(badSchedule)).error.details).toEqual([
      expect.objectContaining({ path: 'body.services[0].schedule', message: expect.stringMatching(/^has 6 fields/) }),
    ]);
  });

  it("creates Barcelona's nginx heritage, echoes it, and updates it as its spec says", async () => {
    const created = await send('POST', '/districts/default/apps', developer, {
      name: 'nginx',
      image_name: 'nginx',
      image_tag: 'latest',
      before_deploy: 'echo hello',
      services: [
        { name: 'web', public: true, cpu: 128, memory: 256, port_mappings: [{ lb_port: 80, container_port: 80 }] },
      ],
    });
    expect(created.status).toBe(200);
    expect((await json<AppBody>(created)).app).toMatchObject({
      name: 'nginx',
      before_deploy: 'echo hello',
      release: 1,
    });
    expect((await deployed('nginx', 1)).services[0]).toMatchObject({ name: 'web', status: 'active' });

    const updated = await send('PATCH', '/apps/nginx', developer, {
      image_tag: 'v3',
      before_deploy: null,
      services: [{ name: 'web', command: 'true' }],
    });
    expect((await json<AppBody>(updated)).app).toMatchObject({
      image_tag: 'v3',
      before_deploy: null,
      services: [{ name: 'web', command: 'true', cpu: 128, memory: 256 }],
    });
    await deployed('nginx', 2);
    const districtApps = await json<{ apps: { name: string }[] }>(
      await send('GET', '/districts/default/apps', developer),
    );
    expect(districtApps.apps.map((app) => app.name)).toEqual(['nginx']);
    expect((await json<{ apps: unknown[] }>(await send('GET', '/apps', foreigner))).apps).toEqual([]);
  });

  it('answers 404 for an unknown app (the original answered null) and for another tenant’s', async () => {
    const unknown = await send('GET', '/apps/nothing-here', developer);
    expect(unknown.status).toBe(404);
    expect((await json<ErrorBody>(unknown)).error.code).toBe('not_found');
    expect((await send('GET', '/apps/nginx', foreigner)).status).toBe(404);
    expect((await send('POST', '/apps/nginx/env_vars', foreigner, { env_vars: { A: 'b' } })).status).toBe(404);
  });

  it('sets env vars to exactly what was sent, unsets them (an unknown key is no error), scales, rolls back', async () => {
    const set = await send('POST', '/apps/nginx/env_vars', developer, {
      env_vars: { RAILS_ENV: 'production', SECRET_KEY_BASE: 'abcdef' },
    });
    expect((await json<AppBody>(set)).app.env_vars).toEqual({ RAILS_ENV: 'production', SECRET_KEY_BASE: 'abcdef' });
    const unset = await send('DELETE', '/apps/nginx/env_vars', developer, { env_keys: ['RAILS_ENV', 'NOPE'] });
    expect(unset.status).toBe(200);
    expect((await json<AppBody>(unset)).app.env_vars).toEqual({ SECRET_KEY_BASE: 'abcdef' });

    const scaled = await send('POST', '/apps/nginx/services/web/scale', developer, { scale: 2 });
    expect(scaled.status).toBe(200);
    expect((await json<{ service: { name: string; scale: number } }>(scaled)).service).toMatchObject({
      name: 'web',
      scale: 2,
    });
    await deployed('nginx', 5);

    const rollback = await send('POST', '/apps/nginx/releases/3/rollback', developer);
    expect(rollback.status).toBe(200);
    expect((await json<{ release: { version: number; env_keys: string[] } }>(rollback)).release).toMatchObject({
      version: 6,
      env_keys: ['RAILS_ENV', 'SECRET_KEY_BASE'],
    });
    await deployed('nginx', 6);
    const releases = await json<{ releases: { version: number }[] }>(
      await send('GET', '/apps/nginx/releases', developer),
    );
    expect(releases.releases.map((release) => release.version)).toEqual([6, 5, 4, 3, 2, 1]);
    expect((await send('GET', '/apps/nginx/releases/2', developer)).status).toBe(200);
    expect((await send('GET', '/apps/nginx/releases/99', developer)).status).toBe(404);
    const events = await json<{ events: { level: string; message: string }[] }>(
      await send('GET', '/apps/nginx/events?limit=2', developer),
    );
    expect(events.events).toHaveLength(2);
    expect(events.events[0]).toMatchObject({ level: 'good', message: 'web(nginx:v3) deployed' });
    const drift = await json<{ release: number; drift: unknown[] }>(await send('GET', '/apps/nginx/drift', developer));
    expect(drift).toEqual({ release: 6, drift: [] });
  });

  it('runs a one-off (the rake db:migrate spec) and shows it by id', async () => {
    const response = await send('POST', '/apps/nginx/oneoffs', developer, {
      command: 'rake db:migrate',
      image_tag: 'v100',
      sync: true,
    });
    expect(response.status).toBe(200);
    const { oneoff } = await json<{
      oneoff: { id: string; command: string; task_arn: string; exit_code: number; output: string };
    }>(response);
    expect(oneoff).toMatchObject({ command: 'rake db:migrate', exit_code: 0, output: 'ran rake db:migrate' });
    expect(typeof oneoff.task_arn).toBe('string');
    expect((await send('GET', `/oneoffs/${oneoff.id}`, developer)).status).toBe(200);
    expect((await send('GET', `/oneoffs/${oneoff.id}`, foreigner)).status).toBe(404);
  });

  it('deletes the heritage (204) and every answer matched the spec', async () => {
    expect((await send('DELETE', '/apps/nginx', developer)).status).toBe(204);
    expect((await send('GET', '/apps/nginx', developer)).status).toBe(404);
    expect(problems).toEqual([]);
  });
});

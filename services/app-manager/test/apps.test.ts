import {
  appDriftRpc,
  createAppRpc,
  createDistrictRpc,
  deleteAppRpc,
  getAppRpc,
  getDistrictRpc,
  instanceStateChangedEvent,
  instanceTerminatedEvent,
  launchInstancesRpc,
  listAppEventsRpc,
  listAppsRpc,
  listDistrictsRpc,
  listReleasesRpc,
  rollbackReleaseRpc,
  runOneoffRpc,
  scaleServiceRpc,
  setEnvVarsRpc,
  unsetEnvVarsRpc,
  updateAppRpc,
  updateDistrictRpc,
} from '@overcast/contracts';
import { Client } from 'pg';
import { clusterNameOf } from '../src/domain/context';
import { createAppManagerEnvironment, eventually, type AppManagerEnvironment } from './support/app-manager-environment';

let env: AppManagerEnvironment;
const tenantId = 'tenant-a';

beforeAll(async () => {
  env = await createAppManagerEnvironment({
    fake: {
      taskOutcome: (command) =>
        command === 'false' ? { exitCode: 1, output: 'nope' } : { exitCode: 0, output: `ran ${command}` },
    },
  });
  await env.startReplica();
  await env.client.call(createDistrictRpc, { tenantId, name: 'default', provider: 'fake' });
});
afterAll(async () => {
  await env?.close();
});

/** Barcelona's request spec: nginx, before_deploy "echo hello", web public cpu 128 memory 256 port 80→80. */
const nginx = (name: string) => ({
  tenantId,
  district: 'default',
  name,
  image_name: 'nginx',
  image_tag: 'latest',
  before_deploy: 'echo hello',
  env_vars: {},
  services: [
    { name: 'web', public: true, cpu: 128, memory: 256, port_mappings: [{ lb_port: 80, container_port: 80 }] },
  ],
});

async function deployed(app: string, release?: number) {
  return eventually(async () => {
    const shown = await env.client.call(getAppRpc, { tenantId, app });
    const settled = shown.deploy_state !== null && shown.deploy_state !== 'running';
    return settled && (release === undefined || shown.release === release) ? shown : undefined;
  });
}

async function messages(app: string) {
  const { events } = await env.client.call(listAppEventsRpc, { tenantId, app });
  return events.map((event) => `${event.level}: ${event.message}`);
}

describe('districts', () => {
  it('creates, lists, shows and updates a district; names are per tenant', async () => {
    const created = await env.client.call(createDistrictRpc, {
      tenantId,
      name: 'second',
      provider: 'fake',
      vpc_id: 'vpc-1',
    });
    expect(created).toMatchObject({ name: 'second', provider: 'fake', vpc_id: 'vpc-1', aws_credentials_set: false });
    await expect(
      env.client.call(createDistrictRpc, { tenantId, name: 'second', provider: 'fake' }),
    ).rejects.toMatchObject({
      code: 'conflict',
    });
    const other = await env.client.call(createDistrictRpc, { tenantId: 'tenant-b', name: 'second', provider: 'fake' });
    expect(other.name).toBe('second');
    const { districts } = await env.client.call(listDistrictsRpc, { tenantId });
    expect(districts.map((district) => district.name)).toEqual(['default', 'second']);
    const updated = await env.client.call(updateDistrictRpc, { tenantId, name: 'second', s3_bucket_name: 'bucket' });
    expect(updated).toMatchObject({ vpc_id: 'vpc-1', s3_bucket_name: 'bucket' });
    await expect(env.client.call(getDistrictRpc, { tenantId: 'tenant-c', name: 'second' })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('refuses an aws district without its AWS fields, naming each', async () => {
    const refusal = await env.client
      .call(createDistrictRpc, { tenantId, name: 'cloud', provider: 'aws' })
      .catch((error: unknown) => error);
    expect(refusal).toMatchObject({ code: 'bad_request' });
    const paths = (refusal as { details: { path: string }[] }).details.map((detail) => detail.path);
    expect(paths).toEqual(['body.vpc_id', 'body.private_hosted_zone_id', 'body.aws_access_key_id']);
  });

  it('asks the instance broker over the bus for container instances and shows them in the district', async () => {
    await env.client.call(launchInstancesRpc, { tenantId, name: 'default', count: 2, instance_type: 't2.micro' });
    const district = await eventually(async () => {
      const shown = await env.client.call(getDistrictRpc, { tenantId, name: 'default' });
      return shown.container_instances.length === 2 ? shown : undefined;
    });
    expect(district.container_instances.map((instance) => instance.instance_type)).toEqual(['t2.micro', 't2.micro']);
    expect(env.launched).toHaveLength(2);
    expect(env.launched[0]).toMatchObject({ provider: 'fake', site: 'district-default', role: 'container-instance' });
    expect(new Set(env.launched.map((request) => request.idempotencyKey)).size).toBe(2);
  });

  it("shows each container instance's state as the broker's events change it, never going back", async () => {
    const { container_instances: before } = await env.client.call(getDistrictRpc, { tenantId, name: 'default' });
    const [first, second] = before;
    if (!first || !second) throw new Error('no launched instances');
    const facts = { tenantId, provider: 'fake', upstreamId: null, instanceBuildId: null, errorReason: null };
    const stateOf = async (id: string) =>
      (await env.client.call(getDistrictRpc, { tenantId, name: 'default' })).container_instances.find(
        (instance) => instance.id === id,
      );
    await env.client.publish(instanceStateChangedEvent, {
      ...facts,
      id: first.id,
      from: 'starting',
      to: 'running',
      ipAddress: '10.0.0.7',
    });
    expect(
      await eventually(async () => ((await stateOf(first.id))?.state === 'running' ? stateOf(first.id) : undefined)),
    ).toMatchObject({
      state: 'running',
      ip_address: '10.0.0.7',
    });
    // A late event of an earlier state, and another tenant's event naming this instance, change nothing.
    await env.client.publish(instanceStateChangedEvent, {
      ...facts,
      id: first.id,
      from: null,
      to: 'creating',
      ipAddress: null,
    });
    await env.client.publish(instanceStateChangedEvent, {
      ...facts,
      tenantId: 'tenant-b',
      id: first.id,
      from: 'running',
      to: 'terminating',
      ipAddress: null,
    });
    await env.client.publish(instanceTerminatedEvent, { ...facts, id: second.id });
    await eventually(async () => ((await stateOf(second.id))?.state === 'terminated' ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 300)); // the consumer's other deliveries
    expect(await stateOf(first.id)).toMatchObject({ state: 'running', ip_address: '10.0.0.7' });
  });
});

describe('apps', () => {
  it("creates Barcelona's nginx app, echoes it and deploys it: task definition, load balancer, DNS record, service", async () => {
    const created = await env.client.call(createAppRpc, nginx('nginx'));
    expect(created).toMatchObject({
      name: 'nginx',
      image_name: 'nginx',
      image_tag: 'latest',
      before_deploy: 'echo hello',
      district: 'default',
      release: 1,
      services: [
        {
          name: 'web',
          public: true,
          cpu: 128,
          memory: 256,
          scale: 1,
          port_mappings: [{ lb_port: 80, container_port: 80 }],
        },
      ],
    });
    const shown = await deployed('nginx');
    expect(shown.deploy_state).toBe('done');
    expect(shown.services[0]).toMatchObject({ status: 'active', endpoint: { name: 'nginx-web' } });
    expect(await messages('nginx')).toEqual([
      'good: web(nginx:latest) deployed',
      'good: before_deploy script `echo hello` successfully finished',
      'good: Deploying nginx(nginx:latest) to default district...',
    ]);
    const cluster = env.fake.cluster(clusterNameOf(tenantId, { name: 'default', provider: 'fake' }));
    expect(cluster.services.get('nginx-web')?.desiredCount).toBe(1);
    expect([...cluster.records.keys()]).toContain('web.nginx.overcast.fake.');
    expect(cluster.taskDefinitions.get('nginx-web')?.[0]).toMatchObject({
      cpu: 128,
      memory: 256,
      image: 'nginx:latest',
    });
  });

  it('refuses a taken name, duplicate service names and an unknown district', async () => {
    await expect(env.client.call(createAppRpc, nginx('nginx'))).rejects.toMatchObject({ code: 'conflict' });
    const twice = { ...nginx('twice'), services: [{ name: 'web' }, { name: 'web' }] };
    await expect(env.client.call(createAppRpc, twice)).rejects.toMatchObject({
      code: 'bad_request',
      details: [{ path: 'body.services[1].name' }],
    });
    await expect(env.client.call(createAppRpc, { ...nginx('lost'), district: 'nowhere' })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(env.client.call(getAppRpc, { tenantId, app: 'unknown' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(env.client.call(getAppRpc, { tenantId: 'tenant-b', app: 'nginx' })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it("accepts a schedule in Barcelona's EventBridge forms or as five-field cron, and refuses the others naming the field", async () => {
    await env.client.call(createDistrictRpc, { tenantId, name: 'scheduling', provider: 'fake' });
    const scheduled = (name: string, ...schedules: string[]) => ({
      ...nginx(name),
      district: 'scheduling',
      services: schedules.map((schedule, index) => ({ name: `tick-${index}`, command: 'rake tick', schedule })),
    });
    const created = await env.client.call(
      createAppRpc,
      scheduled('ticks', 'rate(1 minute)', 'cron(0 3 ? * MON-FRI *)', '*/15 * * * *'),
    );
    expect(created.services.map((service) => service.schedule)).toEqual([
      'rate(1 minute)',
      'cron(0 3 ? * MON-FRI *)',
      '*/15 * * * *',
    ]);
    await expect(
      env.client.call(createAppRpc, scheduled('bad-ticks', '0 * * * * *', 'rate(5 minute)', '0 0 1 * 1', '0 0 31 2 *')),
    ).rejects.toMatchObject({
      code: 'bad_request',
      details: [
        { path: 'body.services[0].schedule', message: expect.stringMatching(/^has 6 fields/) },
        { path: 'body.services[1].schedule', message: expect.stringMatching(/rate\(N minutes\)/) },
        { path: 'body.services[2].schedule', message: expect.stringMatching(/cannot both be restricted/) },
        { path: 'body.services[3].schedule', message: 'never runs' },
      ],
    });
    await expect(
      env.client.call(updateAppRpc, {
        tenantId,
        app: 'ticks',
        services: [{ name: 'tick-0', schedule: 'cron(* * * * * *)' }],
      }),
    ).rejects.toMatchObject({ code: 'bad_request', details: [{ path: 'body.services[0].schedule' }] });
  });

  it("updates as Barcelona's spec: given fields change, cpu, memory and port mappings are kept, a second service defaults to 512", async () => {
    await env.client.call(updateAppRpc, {
      tenantId,
      app: 'nginx',
      image_tag: 'v3',
      before_deploy: null,
      services: [{ name: 'web', command: 'true' }, { name: 'worker' }],
    });
    const shown = await deployed('nginx', 2);
    expect(shown).toMatchObject({ image_tag: 'v3', before_deploy: null, deploy_state: 'done' });
    expect(shown.services).toMatchObject([
      { name: 'web', command: 'true', cpu: 128, memory: 256, port_mappings: [{ lb_port: 80, container_port: 80 }] },
      { name: 'worker', cpu: 512, memory: 512, scale: 1, endpoint: null },
    ]);
    expect(env.fake.creations.loadBalancers).toBe(1);
  });

  it('sets and unsets env vars (each a release), sealed at rest; an unknown key is a no-op', async () => {
    const set = await env.client.call(setEnvVarsRpc, {
      tenantId,
      app: 'nginx',
      env_vars: { RAILS_ENV: 'production', SECRET_KEY_BASE: 'abcdef' },
    });
    expect(set.env_vars).toEqual({ RAILS_ENV: 'production', SECRET_KEY_BASE: 'abcdef' });
    const sql = new Client({ connectionString: env.testDatabase.url });
    await sql.connect();
    const stored = await sql.query<{ sealed_value: string }>('SELECT sealed_value FROM app_manager.env_vars');
    const releases = await sql.query<{ sealed_env: string }>('SELECT sealed_env FROM app_manager.releases');
    await sql.end();
    expect(stored.rows).toHaveLength(2);
    for (const row of [...stored.rows.map((r) => r.sealed_value), ...releases.rows.map((r) => r.sealed_env)])
      expect(row).not.toContain('abcdef');
    const unset = await env.client.call(unsetEnvVarsRpc, {
      tenantId,
      app: 'nginx',
      env_keys: ['RAILS_ENV', 'NEVER_SET'],
    });
    expect(unset.env_vars).toEqual({ SECRET_KEY_BASE: 'abcdef' });
    await deployed('nginx', 4);
    const cluster = env.fake.cluster(clusterNameOf(tenantId, { name: 'default', provider: 'fake' }));
    const revisions = cluster.taskDefinitions.get('nginx-web') ?? [];
    expect(revisions[revisions.length - 1]?.env).toEqual({ SECRET_KEY_BASE: 'abcdef' });
  });

  it('scales a service (the route broken in the original) and rolls back to an earlier release', async () => {
    const scaled = await env.client.call(scaleServiceRpc, { tenantId, app: 'nginx', service: 'web', scale: 3 });
    expect(scaled).toMatchObject({ name: 'web', scale: 3 });
    await deployed('nginx', 5);
    const cluster = env.fake.cluster(clusterNameOf(tenantId, { name: 'default', provider: 'fake' }));
    expect(cluster.services.get('nginx-web')?.desiredCount).toBe(3);
    await expect(
      env.client.call(scaleServiceRpc, { tenantId, app: 'nginx', service: 'nope', scale: 1 }),
    ).rejects.toMatchObject({
      code: 'not_found',
    });

    const rolledBack = await env.client.call(rollbackReleaseRpc, { tenantId, app: 'nginx', version: 3 });
    expect(rolledBack).toMatchObject({
      version: 6,
      description: 'Rollback to v3',
      env_keys: ['RAILS_ENV', 'SECRET_KEY_BASE'],
    });
    const shown = await deployed('nginx', 6);
    expect(shown.env_vars).toEqual({ RAILS_ENV: 'production', SECRET_KEY_BASE: 'abcdef' });
    expect(shown.services.find((service) => service.name === 'web')?.scale).toBe(1);
    const { releases } = await env.client.call(listReleasesRpc, { tenantId, app: 'nginx' });
    expect(releases.map((release) => release.version)).toEqual([6, 5, 4, 3, 2, 1]);
  });

  it('records drift: a console edit is listed with its path, and the next deploy warns before overwriting it', async () => {
    const cluster = clusterNameOf(tenantId, { name: 'default', provider: 'fake' });
    env.fake.editService(cluster, { app: 'nginx', service: 'web' }, { desiredCount: 7 });
    const { drift, release } = await env.client.call(appDriftRpc, { tenantId, app: 'nginx' });
    expect(release).toBe(6);
    expect(drift).toEqual([{ path: 'services.web.desired_count', expected: 1, actual: 7 }]);
    await env.client.call(setEnvVarsRpc, { tenantId, app: 'nginx', env_vars: { NEW: '1' } });
    await deployed('nginx', 7);
    expect(await messages('nginx')).toContain(
      'warn: Drift on services.web.desired_count: release 6 set 1, found 7; release 7 overwrites it',
    );
    expect((await env.client.call(appDriftRpc, { tenantId, app: 'nginx' })).drift).toEqual([]);
  });

  it("stops a deploy whose before_deploy fails, with Barcelona's message, and changes nothing", async () => {
    const before = { ...env.fake.creations };
    await env.client.call(createAppRpc, { ...nginx('broken'), before_deploy: 'false' });
    const shown = await deployed('broken');
    expect(shown.deploy_state).toBe('failed');
    expect(shown.services[0]?.status).toBe('not_created');
    expect(await messages('broken')).toEqual([
      'error: The command `false` failed. Stopped deploying.',
      'good: Deploying broken(nginx:latest) to default district...',
    ]);
    // No service, balancer or DNS record made, and not even the service's task definition registered.
    expect(env.fake.creations).toMatchObject({
      services: before.services,
      loadBalancers: before.loadBalancers,
      records: before.records,
    });
    const cluster = env.fake.cluster(clusterNameOf(tenantId, { name: 'default', provider: 'fake' }));
    expect(cluster.taskDefinitions.has('broken-web')).toBe(false);
    expect(cluster.services.has('broken-web')).toBe(false);
  });

  it('runs a one-off, synchronously, with its exit code and output', async () => {
    const oneoff = await env.client.call(runOneoffRpc, {
      tenantId,
      app: 'nginx',
      command: 'rake db:migrate',
      image_tag: 'v100',
      sync: true,
    });
    expect(oneoff).toMatchObject({
      command: 'rake db:migrate',
      status: 'stopped',
      exit_code: 0,
      output: 'ran rake db:migrate',
      heritage: 'nginx',
    });
    expect(oneoff.task_arn).toMatch(/^fake:task\//);
  });

  it('lists apps per district and deletes an app with its service, load balancer and record', async () => {
    const { apps } = await env.client.call(listAppsRpc, { tenantId, district: 'default' });
    expect(apps.map((app) => app.name)).toEqual(['broken', 'nginx']);
    await env.client.call(deleteAppRpc, { tenantId, app: 'nginx' });
    const cluster = env.fake.cluster(clusterNameOf(tenantId, { name: 'default', provider: 'fake' }));
    await eventually(async () => (cluster.services.has('nginx-web') ? undefined : true));
    expect(cluster.loadBalancers.has('nginx-web')).toBe(false);
    expect(cluster.records.has('web.nginx.overcast.fake.')).toBe(false);
    await expect(env.client.call(getAppRpc, { tenantId, app: 'nginx' })).rejects.toMatchObject({ code: 'not_found' });
  });
});

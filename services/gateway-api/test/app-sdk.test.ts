import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '@overcast/cli';
import type { Database } from '@overcast/db';
import { createAmqpBus, deleteAmqpTopology, type Bus } from '@overcast/messaging';
import { createClient, DeployWaitError, PermissionDeniedError, NotFoundError } from '@overcast/sdk';
import { describeWithServices, testAmqpUrl, uniqueName, type TestDatabase } from '@overcast/test-kit';
import { createToken, openMigratedDatabase, startGateway, type RunningGateway } from './support/gateway-harness';
import { startRealAppManager, type RealAppManager } from './support/real-app-manager';

// The SDK's districts and apps namespaces against the real gateway and app manager (fake platform), as a user would.
describeWithServices('the SDK on districts and apps', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let bus: Bus;
  let appManager: RealAppManager;
  let gateway: RunningGateway;
  const namespace = uniqueName('gateway-app-sdk-test');

  beforeAll(async () => {
    ({ testDatabase, database } = await openMigratedDatabase());
    bus = createAmqpBus({ url: testAmqpUrl(), namespace });
    await bus.start();
    appManager = await startRealAppManager(testDatabase.url, bus);
    gateway = await startGateway({ database, bus });
  });

  afterAll(async () => {
    await gateway.stop();
    await appManager.stop();
    await bus.stop();
    await deleteAmqpTopology({
      url: testAmqpUrl(),
      namespace,
      queues: ['app-manager', 'app-manager.instance-events'],
      services: ['app-manager', 'gateway-api'],
    });
    await database.close();
    await testDatabase.drop();
  });

  it('makes a district and an app, follows its deploys, and changes, scales, runs and rolls it back', async () => {
    const admin = createClient({ baseUrl: gateway.url, token: await createToken(database, 'admin') });
    const developer = createClient({ baseUrl: gateway.url, token: await createToken(database, 'developer') });
    await expect(developer.districts.create({ name: 'nope', provider: 'fake' })).rejects.toBeInstanceOf(
      PermissionDeniedError,
    );
    expect(await admin.districts.create({ name: 'default', provider: 'fake' })).toMatchObject({ name: 'default' });
    expect((await developer.districts.list()).map((district) => district.name)).toEqual(['default']);

    const created = await developer.apps.create('default', {
      name: 'shop',
      image_name: 'nginx',
      services: [{ name: 'web', public: true, port_mappings: [{ lb_port: 80, container_port: 80 }] }],
    });
    const progress: string[] = [];
    const deployed = await developer.apps.waitForDeploy('shop', created.release, {
      intervalMs: 20,
      onProgress: (app) => progress.push(String(app.deploy_state)),
    });
    expect(deployed.services[0]).toMatchObject({ status: 'active' });
    expect(progress.at(-1)).toBe('done');

    await developer.apps.setEnv('shop', { GREETING: 'hi' });
    expect((await developer.apps.scale('shop', 'web', 2)).scale).toBe(2);
    expect((await developer.apps.waitForDeploy('shop', 3, { intervalMs: 20 })).env_vars).toEqual({ GREETING: 'hi' });
    const rolledBack = await developer.apps.rollback('shop', 1);
    expect(rolledBack.version).toBe(4);
    const back = await developer.apps.waitForDeploy('shop', undefined, { intervalMs: 20 });
    expect(back.env_vars).toEqual({});
    expect((await developer.apps.releases('shop')).map((release) => release.version)).toEqual([4, 3, 2, 1]);
    expect((await developer.apps.events('shop', 1))[0]?.level).toBe('good');
    expect(await developer.apps.drift('shop')).toEqual({ release: 4, drift: [] });
    const oneoff = await developer.apps.run('shop', { command: 'rake db:migrate', sync: true });
    expect((await developer.apps.oneoff(oneoff.id)).command).toBe('rake db:migrate');

    await developer.apps.update('shop', { before_deploy: 'false' });
    await expect(developer.apps.waitForDeploy('shop', 5, { intervalMs: 20 })).rejects.toBeInstanceOf(DeployWaitError);
    await developer.apps.delete('shop');
    await expect(developer.apps.get('shop')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('drives the same through the overcast CLI, following each deploy to its end', async () => {
    const token = await createToken(database, 'admin');
    const overcast = async (...argv: string[]) => {
      let stdout = '';
      let stderr = '';
      const code = await runCli(argv, {
        stdout: (text) => (stdout += text),
        stderr: (text) => (stderr += text),
        env: { OVERCAST_URL: gateway.url, OVERCAST_TOKEN: token },
        homeDirectory: path.join(os.tmpdir(), 'overcast-cli-home-unused'),
      });
      return { code, stdout, stderr };
    };
    expect((await overcast('districts', 'create', 'cli', '--provider', 'fake')).code).toBe(0);
    const created = await overcast(
      'apps',
      'create',
      'cli-app',
      '--district',
      'cli',
      '--image',
      'nginx',
      '--service',
      'name=web,scale=2,public=true,ports=80:8080',
      '--env',
      'GREETING=hi',
    );
    expect(created).toMatchObject({ code: 0 });
    expect(created.stderr).toContain('cli-app release 1 deployed');
    expect(created.stdout).toContain('web=2(active)');
    const scaled = await overcast('apps', 'scale', 'cli-app', 'web', '1');
    expect(scaled.stdout).toContain('web=1(active)');
    expect((await overcast('apps', 'env', 'set', 'cli-app', 'GREETING=bonjour')).code).toBe(0);
    expect((await overcast('apps', 'env', 'list', 'cli-app')).stdout).toContain('bonjour');
    const rolledBack = await overcast('apps', 'rollback', 'cli-app', '1', '--json');
    expect(JSON.parse(rolledBack.stdout)).toMatchObject({
      release: 4,
      deploy_state: 'done',
      env_vars: { GREETING: 'hi' },
    });
    const ran = await overcast('apps', 'run', 'cli-app', 'rake', 'db:migrate');
    expect(ran.stdout).toContain('ran rake db:migrate');
    expect((await overcast('apps', 'releases', 'cli-app')).stdout).toContain('Rollback to v1');
    expect((await overcast('apps', 'events', 'cli-app', '--limit', '1')).stdout).toContain(
      'web(nginx:latest) deployed',
    );
    expect((await overcast('apps', 'drift', 'cli-app')).stdout).toBe('no drift from release 4\n');
    expect((await overcast('apps', 'get', 'nope')).code).not.toBe(0);

    // Barcelona's own app file: created on the first apply, updated on the second (services matched by name); its
    // scheduled tasks keep the EventBridge forms Barcelona passed to CloudFormation.
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'barcelona-')), 'barcelona.yml');
    const barcelonaYml = (tag: string) => `environments:
  production:
    name: komoju
    image_name: nginx
    image_tag: ${tag}
    before_deploy: rake db:migrate
    scheduled_tasks:
      - { schedule: 'cron(0 * * * ? *)', command: rake report }
      - { schedule: 'rate(10 minutes)', command: rake sweep }
    services:
      - name: web
        public: true
        cpu: 256
        port_mappings: [{ lb_port: 80, container_port: 3000 }]
      - { name: worker, command: rake jobs:work }
`;
    writeFileSync(file, barcelonaYml('v1'));
    const applied = await overcast('apps', 'apply', '-f', file, '-e', 'production', '--district', 'cli', '--json');
    expect(applied.code).toBe(0);
    expect(JSON.parse(applied.stdout)).toMatchObject({
      name: 'komoju',
      release: 1,
      deploy_state: 'done',
      services: [
        { name: 'cron-1', schedule: 'cron(0 * * * ? *)', command: 'rake report' },
        { name: 'cron-2', schedule: 'rate(10 minutes)', command: 'rake sweep' },
        { name: 'web', cpu: 256, public: true },
        { name: 'worker', command: 'rake jobs:work' },
      ],
    });
    writeFileSync(file, barcelonaYml('v2'));
    const reapplied = await overcast('apps', 'apply', '-f', file, '-e', 'production', '--district', 'cli', '--json');
    expect(JSON.parse(reapplied.stdout)).toMatchObject({ release: 2, image_tag: 'v2', deploy_state: 'done' });
    const missing = await overcast('apps', 'apply', '-f', file, '-e', 'staging', '--district', 'cli');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('no environment staging');
  });
});

import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '@overcast/cli';
import type { Database } from '@overcast/db';
import { createAmqpBus, deleteAmqpTopology, type Bus } from '@overcast/messaging';
import { describeWithServices, testAmqpUrl, uniqueName, type TestDatabase } from '@overcast/test-kit';
import { createToken, openMigratedDatabase, startGateway, type RunningGateway } from './support/gateway-harness';
import { startRealRegistry, type RealRegistry } from './support/real-registry';

const exampleFile = path.resolve(__dirname, '../../../examples/overcast.yml');
const photonFile = path.resolve(
  __dirname,
  '../../../packages/deployment-config/test/corpus/invalid/photon-deployment.yml',
);

// Photon's `photon` verbs as `overcast deployments …`, run in-process against the real gateway and registry.
describeWithServices('overcast deployments, datacenters and register against the registry', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let bus: Bus;
  let registry: RealRegistry;
  let gateway: RunningGateway;
  let home: string;
  let env: Record<string, string>;
  const namespace = uniqueName('gateway-registry-cli-test');

  beforeAll(async () => {
    ({ testDatabase, database } = await openMigratedDatabase());
    bus = createAmqpBus({ url: testAmqpUrl(), namespace });
    await bus.start();
    registry = await startRealRegistry(testDatabase.url, bus);
    gateway = await startGateway({ database, bus, env: { DEPLOYMENT_EVENTS_POLL_MS: '50' } });
    home = mkdtempSync(path.join(tmpdir(), 'overcast-registry-cli-'));
    env = { OVERCAST_URL: gateway.url, OVERCAST_TOKEN: await createToken(database, 'developer') };
  });

  afterAll(async () => {
    await gateway.stop();
    await registry.stop();
    await bus.stop();
    await deleteAmqpTopology({ url: testAmqpUrl(), namespace, services: ['registry', 'gateway-api'] });
    await database.close();
    await testDatabase.drop();
    rmSync(home, { recursive: true, force: true });
  });

  async function overcast(args: string[], extra: { confirm?: (question: string) => Promise<boolean> } = {}) {
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      env,
      homeDirectory: home,
      ...extra,
    });
    return { code, stdout, stderr };
  }

  it('validates offline: the example is valid; Photon’s own file is not, each problem with file, line and path', async () => {
    expect(await overcast(['deployments', 'validate', '-f', exampleFile])).toMatchObject({ code: 0 });
    const photon = await overcast(['deployments', 'validate', '-f', photonFile]);
    expect(photon.code).toBe(1);
    expect(photon.stdout).toMatch(
      /photon-deployment\.yml:119:9: deployment\.services\.db-pool\.westcoast\.profile: "db-pool" is not a profile/,
    );
    const json = await overcast(['deployments', 'validate', '-f', photonFile, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      valid: false,
      errors: expect.arrayContaining([expect.anything()]),
    });
    expect((await overcast(['deployments', 'validate', '-f', path.join(home, 'missing.yml')])).code).toBe(2);
  });

  it('registers a datacenter, its key pair made locally and written for its agent beside the issued certificate', async () => {
    const dir = path.join(home, 'datacenter-local');
    const result = await overcast([
      'datacenters',
      'register',
      '--name',
      'local',
      '--region',
      'local',
      '--endpoint',
      '127.0.0.1:7443',
      '--profile',
      'name=small,cpu=2,memory=1GiB,lifetime=medium,price=0.5,capacity=4',
      '--dir',
      dir,
    ]);
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toContain('small');
    expect(readFileSync(path.join(dir, 'key.pem'), 'utf8')).toContain('PRIVATE KEY');
    expect(statSync(path.join(dir, 'key.pem')).mode & 0o777).toBe(0o600);
    expect(existsSync(path.join(dir, 'cert.pem'))).toBe(true);
    const list = await overcast(['datacenters', 'list', '--json', 'name,region,state']);
    expect(JSON.parse(list.stdout)).toEqual([{ name: 'local', region: 'local', state: 'up' }]);
    const bad = await overcast([
      'datacenters',
      'register',
      '--name',
      'x',
      '--region',
      'local',
      '--endpoint',
      'e',
      '--profile',
      'name=x',
    ]);
    expect(bad.code).toBe(2);
  });

  it('creates from the file, then finds the deployment by its file: status, search, plan, update, notify, events, delete', async () => {
    const file = path.join(home, 'overcast.yml');
    writeFileSync(file, readFileSync(exampleFile, 'utf8'));
    const created = await overcast(['deployments', 'create', '-f', file]);
    expect(created).toMatchObject({ code: 0 });
    expect(created.stdout).toMatch(/web\s+local\s+small\s+[0-9a-f-]{36}\s+0\/2/);
    const status = await overcast(['deployments', 'status', '-f', file, '--json']);
    const deployment = JSON.parse(status.stdout) as { id: string; services: { desired: number }[] };
    expect(deployment.services).toEqual([expect.objectContaining({ desired: 2 })]);

    const search = await overcast(['deployments', 'search', '-f', file]);
    expect(search.stdout).toMatch(/^local \(local\):\n\s+ID\s+NAME\s+PRICE\n\s+[0-9a-f-]{36}\s+local\s+1\n$/);

    writeFileSync(file, readFileSync(exampleFile, 'utf8').replace('nodes: 2', 'nodes: 3'));
    const dry = await overcast(['deployments', 'update', '-f', file, '--dry-run']);
    expect(dry.stdout).toMatch(/web\s+local\s+1\s+0\s+0/);
    const refused = await overcast(['deployments', 'update', '-f', file]);
    expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining('--yes') });
    const declined = await overcast(['deployments', 'update', '-f', file], { confirm: async () => false });
    expect(declined.stderr).toContain('nothing changed');
    const asked: string[] = [];
    const confirmed = await overcast(['deployments', 'update', '-f', file], {
      confirm: async (question) => (asked.push(question), true),
    });
    expect(confirmed.code).toBe(0);
    expect(asked).toEqual(['apply this plan?']);
    expect(JSON.parse((await overcast(['deployments', 'status', '-f', file, '--json'])).stdout)).toMatchObject({
      version: 2,
      services: [{ desired: 3 }],
    });

    const notified = await overcast(['deployments', 'notify', 'ops', '-f', file]);
    expect(notified.stdout).toBe('deploy.complete sent to ops\n');
    const events = await overcast(['deployments', 'events', deployment.id, '--no-follow']);
    expect(events.stdout).toMatch(/deploy\.begin[\s\S]*cluster\.created[\s\S]*notification\.requested/);
    const list = await overcast(['deployments', 'list', '--json', 'id']);
    expect(JSON.parse(list.stdout)).toEqual([{ id: deployment.id }]);

    expect(await overcast(['deployments', 'delete', '-f', file])).toMatchObject({ code: 0 });
    expect((await overcast(['deployments', 'status', deployment.id])).code).toBe(1);
    expect((await overcast(['deployments', 'status', '-f', file])).stderr).toContain('no deployment was created from');
  });

  it('refuses to create from an invalid file, naming the path and line', async () => {
    const result = await overcast(['deployments', 'create', '-f', photonFile]);
    expect(result.code).toBe(1);
    // Photon's file has includes, so the CLI checks it where they are, naming each problem's file and line.
    expect(result.stderr).toMatch(
      /photon-deployment\.yml:119:9: deployment\.services\.db-pool\.westcoast\.profile: "db-pool" is not a profile/,
    );
    const example = readFileSync(exampleFile, 'utf8').replace('profile: small', 'profile: tiny');
    const plain = path.join(home, 'no-includes.yml');
    writeFileSync(plain, example);
    const sent = await overcast(['deployments', 'create', '-f', plain]);
    expect(sent.code).toBe(1);
    expect(sent.stderr).toMatch(/deployment\.services\.web\.local\.profile: line \d+/);
  });

  it("sends a file's relative includes inlined; the registry refuses a relative include sent as is, naming it", async () => {
    const example = readFileSync(exampleFile, 'utf8');
    const [head = '', placement = ''] = example.split(/\n(?=deployment:)/);
    const dir = mkdtempSync(path.join(home, 'includes-'));
    writeFileSync(path.join(dir, 'services.yml'), head);
    const file = path.join(dir, 'overcast.yml');
    writeFileSync(file, `version: '0.1'\ninclude:\n  - services.yml\n${placement}`);

    const created = await overcast(['deployments', 'create', '-f', file, '--json']);
    expect(created.code).toBe(0);
    const { id, services } = JSON.parse(created.stdout) as { id: string; services: { service: string }[] };
    expect(services.map((s) => s.service)).toEqual(['web']);
    expect(await overcast(['deployments', 'delete', id])).toMatchObject({ code: 0 });

    const raw = await fetch(`${gateway.url}/deployments`, {
      method: 'POST',
      headers: { authorization: `token ${env.OVERCAST_TOKEN}`, 'content-type': 'application/yaml' },
      body: readFileSync(file, 'utf8'),
    });
    expect(raw.status).toBe(400);
    const { error } = (await raw.json()) as { error: { details: { path: string; message: string }[] } };
    expect(error.details).toContainEqual({
      path: 'include[0]',
      message: expect.stringMatching(/^line 3: cannot include "services.yml": a file sent to the registry cannot/),
    });

    writeFileSync(file, `version: '0.1'\ninclude:\n  - missing.yml\n${placement}`);
    const missing = await overcast(['deployments', 'create', '-f', file]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /overcast\.yml:3:\d+: include\[0\]: cannot include "missing\.yml": .*does not exist/,
    );
  });

  it('registers an account: the private key kept here, never sent', async () => {
    const result = await overcast(['register', 'ops@example.com', '--json']);
    expect(result.code).toBe(0);
    const { files } = JSON.parse(result.stdout) as { files: { key: string; certificate: string } };
    expect(readFileSync(files.key, 'utf8')).toContain('PRIVATE KEY');
    expect(readFileSync(files.certificate, 'utf8')).toContain('BEGIN CERTIFICATE');
  });
});

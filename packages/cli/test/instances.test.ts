import type { FakeOvercastServer } from '@overcast/sdk/testing';
import { startFakeOvercastServer } from '@overcast/sdk/testing';
import type { CliSandbox } from './run-overcast';
import { createCliSandbox } from './run-overcast';

describe('overcast instances', () => {
  let server: FakeOvercastServer;
  let cli: CliSandbox;

  beforeEach(async () => {
    server = await startFakeOvercastServer();
    cli = createCliSandbox({ OVERCAST_URL: server.url, OVERCAST_TOKEN: server.developerToken });
  });
  afterEach(async () => {
    await server.close();
    cli.remove();
  });

  async function createInstance(...extra: string[]): Promise<string> {
    const result = await cli.run(['--json', 'instances', 'create', '--provider', 'gce', '--image', 'img-1', ...extra]);
    expect(result.code).toBe(0);
    return (JSON.parse(result.stdout) as { id: string }).id;
  }

  it('creates an instance and shows it as details, or as JSON with --json', async () => {
    const human = await cli.run([
      'instances',
      'create',
      '--provider',
      'gce',
      '--image',
      'img-1',
      '--instance-type',
      'premium',
      '--env',
      'staging',
    ]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^id {13}[0-9a-f-]{36}\nstate {10}creating\nprovider {7}gce\n/);
    expect(human.stdout).toContain('instance type  premium\n');
    expect(human.stdout).toContain('env / site     staging / -\n');
    const json = await cli.run([
      'instances',
      'create',
      '--provider',
      'gce',
      '--image',
      'img-1',
      '--json',
      '--idempotency-key',
      'k1',
    ]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      provider: 'gce',
      image: 'img-1',
      state: 'creating',
      instance_type: 'standard',
    });
    expect(server.requests.at(-1)?.headers['idempotency-key']).toBe('k1');
  });

  it('lists instances as a table with filters, and as JSON', async () => {
    const staging = await createInstance('--env', 'staging');
    await createInstance('--env', 'prod');
    const table = await cli.run(['instances', 'list', '--env', 'staging']);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+STATE\s+PROVIDER\s+IMAGE\s+TYPE\s+IP\s+CREATED$/);
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(new RegExp(`^${staging}\\s+creating\\s+gce\\s+img-1\\s+standard\\s+-\\s+\\d{4}-`)),
    ]);
    const json = JSON.parse((await cli.run(['instances', 'list', '--json'])).stdout) as {
      instances: unknown[];
      next_cursor: null;
    };
    expect(json.instances).toHaveLength(2);
    expect(json.next_cursor).toBeNull();
  });

  it('pages with --limit, hints at the next page, and follows every page with --all', async () => {
    for (let index = 0; index < 3; index += 1) await createInstance();
    const firstPage = await cli.run(['instances', 'list', '--limit', '2']);
    expect(firstPage.stdout.trimEnd().split('\n')).toHaveLength(3);
    expect(firstPage.stderr).toBe('more instances: add --cursor 2 (or --all)\n');
    const everything = await cli.run(['instances', 'list', '--limit', '2', '--all']);
    expect(everything.stdout.trimEnd().split('\n')).toHaveLength(4);
    expect(everything.stderr).toBe('');
  });

  it('waits until running, showing each state on stderr and the instance on stdout', async () => {
    const id = await createInstance();
    const result = await cli.run(['instances', 'wait', id, '--interval', '0.01']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`^${id}: starting \\(\\d+s\\)\\n${id}: running \\(\\d+s\\)\\n$`));
    expect(result.stdout).toContain('state          running\n');
  });

  it('gives up waiting after --timeout with exit 1', async () => {
    server.state.advanceOnRead = false;
    const id = await createInstance();
    const result = await cli.run(['instances', 'wait', id, '--interval', '0.01', '--timeout', '0.05']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`overcast: instance ${id} is still creating after waiting for running\n`);
  });

  it('terminates an instance, then shows it terminated', async () => {
    const id = await createInstance();
    expect(await cli.run(['instances', 'delete', id])).toMatchObject({
      code: 0,
      stdout: `instance ${id} is terminating\n`,
    });
    const waited = await cli.run(['--json', 'instances', 'wait', id, '--state', 'terminated', '--interval', '0.01']);
    expect(JSON.parse(waited.stdout)).toMatchObject({ id, state: 'terminated' });
    expect(JSON.parse((await cli.run(['instances', 'get', id, '--json'])).stdout)).toMatchObject({
      state: 'terminated',
    });
  });

  it("prints a local instance's console raw, or as {id, console} with --json, and refuses a provider without one", async () => {
    const created = await cli.run(['--json', 'instances', 'create', '--provider', 'local', '--image', 'default']);
    const { id } = JSON.parse(created.stdout) as { id: string };
    const text = 'boot-agent: running init script\nbooting worker for org/staging/docker\n';
    server.state.consoles.set(id, text);
    expect(await cli.run(['instances', 'console', id])).toMatchObject({ code: 0, stdout: text, stderr: '' });
    const json = await cli.run(['instances', 'console', id, '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ id, console: text });

    const gce = await createInstance();
    const refused = await cli.run(['instances', 'console', gce]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^overcast: provider gce keeps no console \[HTTP 422 unprocessable/);
  });

  it('prints an unknown instance as one line with the code and request id, exit 1', async () => {
    const result = await cli.run(['instances', 'get', '00000000-0000-4000-8000-000000000000']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^overcast: instance not found \[HTTP 404 not_found, request [\w-]+\]\n$/);
  });

  it('lists every validation problem of a create on one line', async () => {
    const result = await cli.run(['instances', 'create', '--provider', 'azure', '--image', 'i']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^overcast: unknown provider "azure" \(body\.provider\) \[HTTP 422 unprocessable/);
  });

  it('exits 3 when the token is refused', async () => {
    const result = await cli.run(['instances', 'list'], { OVERCAST_TOKEN: '99-00000000000000000000000000000000' });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^overcast: invalid token \[HTTP 401 unauthenticated/);
  });
});

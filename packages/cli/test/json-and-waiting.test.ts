import type { FakeOvercastServer } from '@overcast/sdk/testing';
import { startFakeOvercastServer } from '@overcast/sdk/testing';
import { waitFor } from '@overcast/test-kit';
import type { CliSandbox } from './run-overcast';
import { createCliSandbox } from './run-overcast';

describe('overcast --json fields, --jq and waiting', () => {
  let server: FakeOvercastServer;
  let cli: CliSandbox;

  beforeEach(async () => {
    server = await startFakeOvercastServer();
    cli = createCliSandbox({ OVERCAST_URL: server.url, OVERCAST_TOKEN: server.adminToken });
  });
  afterEach(async () => {
    await server.close();
    cli.remove();
  });

  /**
   * Once the CLI has read `path` (the fake server answers in the same turn it records, so that read saw the state
   * before the test changes it). A change made on a timer instead came before the CLI's first read when the process
   * stalled 150 ms, as on a loaded host, and the state the test was about was never seen.
   */
  async function afterTheCliRead(path: string): Promise<void> {
    const since = server.requests.length;
    await waitFor(`the CLI to read ${path}`, () =>
      server.requests.slice(since).some((request) => request.method === 'GET' && request.url.startsWith(path)),
    );
  }

  async function createInstance(...extra: string[]): Promise<string> {
    const result = await cli.run([
      'instances',
      'create',
      '--provider',
      'gce',
      '--image',
      'i',
      '--json',
      'id',
      ...extra,
    ]);
    return (JSON.parse(result.stdout) as { id: string }).id;
  }

  it('selects fields with --json, as an array for lists, as gh does', async () => {
    const staging = await createInstance('--env', 'staging');
    const listed = await cli.run(['instances', 'list', '--json', 'id,env,state']);
    expect(JSON.parse(listed.stdout)).toEqual([{ id: staging, env: 'staging', state: 'creating' }]);
    const one = await cli.run(['--json', 'state', 'instances', 'get', staging]);
    expect(JSON.parse(one.stdout)).toEqual({ state: 'starting' });
    // Bare --json before a command or an id still means "everything".
    const everything = await cli.run(['--json', 'instances', 'get', staging]);
    expect(JSON.parse(everything.stdout)).toMatchObject({ id: staging, provider: 'gce' });
    const trailing = await cli.run(['instances', 'get', '--json', staging]);
    expect(JSON.parse(trailing.stdout)).toMatchObject({ id: staging });
  });

  it('names the unknown field and lists the available ones', async () => {
    const result = await cli.run(['instances', 'list', '--json', 'id,colour']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'overcast: unknown JSON field "colour"; available: id, provider, image, instance_type, state, ip_address, upstream_id, error_reason, public_ssh_key, env, site, role, queue, instance_build_id, created_at, updated_at, name, image_id, ip, private_ip, launch_time\n',
    );
  });

  it('filters with --jq through jq itself, printing strings raw', async () => {
    const first = await createInstance('--env', 'prod');
    const second = await createInstance('--env', 'staging');
    const ids = await cli.run(['instances', 'list', '--json', 'id,env', '--jq', '.[] | select(.env == "prod") | .id']);
    expect(ids).toMatchObject({ code: 0, stdout: `${first}\n` });
    const counted = await cli.run(['instances', 'list', '--json', '--jq', '.instances | length']);
    expect(counted.stdout).toBe('2\n');
    expect(second).not.toBe(first);
  });

  it('refuses --jq without --json and a jq expression that does not compile', async () => {
    expect(await cli.run(['quotas', '--jq', '.'])).toMatchObject({
      code: 2,
      stderr: 'overcast: --jq needs --json (add --json, or --json with the fields to filter)\n',
    });
    const broken = await cli.run(['quotas', '--json', '--jq', '.[']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^overcast: --jq: jq: error: syntax error/);
    // jq's own exit (3, as WebAssembly sets it) must not become the exit code of the process running the CLI.
    expect(process.exitCode).toBeUndefined();
  });

  it('waits for a new instance with --wait, in plain lines without a terminal', async () => {
    const result = await cli.run([
      'instances',
      'create',
      '--provider',
      'gce',
      '--image',
      'i',
      '--wait',
      '--json',
      'state,ip_address',
    ]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ state: 'running', ip_address: expect.any(String) });
    expect(result.stderr).toMatch(/^[0-9a-f-]{36}: starting \(\d+s\)\n[0-9a-f-]{36}: running \(\d+s\)\n$/);
  });

  it('draws a spinner with the elapsed time on a terminal', async () => {
    const result = await cli.run(
      ['instances', 'create', '--provider', 'gce', '--image', 'i', '--wait'],
      {},
      { stderrIsTerminal: true },
    );
    expect(result.code).toBe(0);
    // "\r, erase line" then the frame: the line is redrawn in place.
    // eslint-disable-next-line no-control-regex
    expect(result.stderr).toMatch(/\r\x1b\[K[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] [0-9a-f-]{36}: starting 0s/);
    // eslint-disable-next-line no-control-regex
    expect(result.stderr).toMatch(/\r\x1b\[K✓ [0-9a-f-]{36}: running \(\d+s\)\n$/);
  });

  it('waits with builds wait for finished, for started (which a finished build has passed), and stops when it errored', async () => {
    const build = { site: 'org', env: 'e', queue: 'q', role: 'worker', image: 'img-1' };
    const flags = Object.entries(build).flatMap(([name, value]) => [`--${name}`, value]);
    const created = JSON.parse((await cli.run(['builds', 'create', ...flags, '--json', 'id'])).stdout) as {
      id: string;
    };
    const waiting = cli.run([
      'builds',
      'wait',
      created.id,
      '--state',
      'finished',
      '--interval',
      '0.01',
      '--json',
      'state',
    ]);
    await afterTheCliRead(`/instance-builds/${created.id}`);
    const stored = server.state.builds.get(created.id);
    if (stored) stored.state = 'finished';
    const waited = await waiting;
    expect(waited.code).toBe(0);
    expect(JSON.parse(waited.stdout)).toEqual({ state: 'finished' });
    expect(waited.stderr).toMatch(
      new RegExp(
        `^build ${created.id}: pending, no instance yet \\(VM concurrency 1\\) \\(\\d+s\\)\\nbuild ${created.id}: finished, no instance yet`,
      ),
    );

    // A finished build has started: waiting for started is over at once.
    const started = await cli.run(['builds', 'wait', created.id, '--interval', '0.01', '--json', 'state']);
    expect(JSON.parse(started.stdout)).toEqual({ state: 'finished' });
    Object.assign(server.state.builds.get(created.id) ?? {}, { state: 'errored' });
    const never = await cli.run(['builds', 'wait', created.id, '--interval', '0.01']);
    expect(never.code).toBe(1);
    expect(never.stderr).toContain(
      `overcast: instance build ${created.id} is errored and will never be started or finished`,
    );
  });

  it('waits with builds create --wait until the build started and each of its instances is running', async () => {
    const instanceId = await createInstance();
    const flags = ['--site', 'org', '--env', 'e', '--queue', 'q', '--role', 'worker', '--image', 'i'];
    const waiting = cli.run([
      'builds',
      'create',
      ...flags,
      '--wait',
      '--interval',
      '0.01',
      '--json',
      'state,instance_ids',
    ]);
    // The broker starts the build's instance while the CLI waits.
    const broker = setInterval(() => {
      for (const build of server.state.builds.values())
        Object.assign(build, { state: 'started', instance_ids: [instanceId] });
    }, 30);
    const result = await waiting;
    clearInterval(broker);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ state: 'started', instance_ids: [instanceId] });
    expect(result.stderr).toMatch(/^build [0-9a-f-]{36}: pending, no instance yet \(VM concurrency 1\) \(\d+s\)\n/);
    expect(result.stderr).toContain(`${instanceId}: running (`);
    expect((await cli.run(['instances', 'get', instanceId, '--json', 'state'])).stdout).toContain('running');
  });

  it('follows a console until the instance is terminated, output on stdout and states on stderr', async () => {
    server.state.advanceOnRead = false;
    const id = await createInstance('--provider', 'local');
    server.state.consoles.set(id, 'boot-agent: running init script\n');
    const following = cli.run(['instances', 'console', id, '--follow', '--interval', '0.02']);
    await afterTheCliRead(`/instances/${id}/console`);
    server.state.consoles.set(id, 'boot-agent: running init script\nhello\n');
    await afterTheCliRead(`/instances/${id}/console`);
    server.state.consoles.set(id, 'boot-agent: running init script\nhello\nbye\n');
    Object.assign(server.state.instances.get(id) ?? {}, { state: 'terminated' });
    const result = await following;
    expect(result).toEqual({
      code: 0,
      stdout: 'boot-agent: running init script\nhello\nbye\n',
      stderr: `${id}: creating\n${id}: terminated\n`,
    });
  });
});

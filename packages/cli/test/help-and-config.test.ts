import { readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { FakeOvercastServer } from '@overcast/sdk/testing';
import { startFakeOvercastServer } from '@overcast/sdk/testing';
import type { CliSandbox } from './run-overcast';
import { createCliSandbox } from './run-overcast';

describe('overcast help, configuration and login', () => {
  let server: FakeOvercastServer;
  let cli: CliSandbox;

  beforeEach(async () => {
    server = await startFakeOvercastServer();
    cli = createCliSandbox();
  });
  afterEach(async () => {
    await server.close();
    cli.remove();
  });

  it('lists every command in --help and exits 0', async () => {
    const result = await cli.run(['--help']);
    expect(result.code).toBe(0);
    for (const command of ['auth', 'status', 'tokens', 'instances', 'builds', 'images', 'quotas', 'config', 'version'])
      expect(result.stdout).toMatch(new RegExp(`\\n  ${command}\\b`));
    expect(result.stdout).toMatch(/\n {2}completion <shell>/);
    // The first login command stays for old scripts, out of sight.
    expect(result.stdout).not.toMatch(/\n {2}login\b/);
    expect(result.stdout).toContain('Exit codes: 0 ok, 1 API or runtime error, 2 usage error, 3 authentication error.');
  });

  it.each([
    [
      ['instances', '--help'],
      ['create', 'get <id>', 'list', 'delete|terminate <id>', 'console', 'wait'],
    ],
    [
      ['tokens', '--help'],
      ['create', 'list', 'revoke <id>'],
    ],
    [
      ['builds', 'create', '--help'],
      ['--site', '--env', '--queue', '--role', '--count', '--instance-type', '--provider', '--image'],
    ],
    [
      ['images', '--help'],
      ['list', 'register', 'activate <id>'],
    ],
    [
      ['auth', '--help'],
      ['login', 'status', 'logout'],
    ],
    [
      ['builds', '--help'],
      ['create', 'get <id>', 'wait [options] <id>'],
    ],
  ])('`overcast %s` describes its subcommands', async (args, expected) => {
    const result = await cli.run(args);
    expect(result.code).toBe(0);
    for (const text of expected) expect(result.stdout).toContain(text);
  });

  it('exits 2 on an unknown command or a bad flag value, naming it', async () => {
    const unknown = await cli.run(['launch']);
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringContaining("unknown command 'launch'") });
    const badCount = await cli.run([
      'builds',
      'create',
      '--site',
      'org',
      '--env',
      'e',
      '--queue',
      'q',
      '--role',
      'r',
      '--count',
      '0',
    ]);
    expect(badCount.code).toBe(2);
    expect(badCount.stderr).toContain(
      "option '--count <n>' argument '0' is invalid. must be a whole number of at least 1",
    );
    const badState = await cli.run(['instances', 'list', '--state', 'exploded'], { OVERCAST_TOKEN: 't' });
    expect(badState.code).toBe(2);
    expect(badState.stderr).toContain(
      'Allowed choices are creating, starting, running, terminating, terminated, errored',
    );
  });

  it('exits 3 with a hint when no token is configured', async () => {
    const result = await cli.run(['status', '--url', server.url]);
    expect(result).toEqual({
      code: 3,
      stdout: '',
      stderr: 'overcast: no API token: run `overcast auth login --with-token`, set OVERCAST_TOKEN or pass --token\n',
    });
  });

  it('logs in with a GitHub token, saving URL and token in a private config file that later commands use', async () => {
    const login = await cli.run(['login', '--github-token', 'gh-octocat', '--url', server.url]);
    expect(login).toMatchObject({ code: 0, stdout: `logged in as octocat; token saved to ${cli.configPath}\n` });
    const saved = parse(readFileSync(cli.configPath, 'utf8')) as { url: string; token: string };
    expect(saved.url).toBe(server.url);
    expect(saved.token).toMatch(/^\d+-[0-9a-f]{32}$/);
    expect(statSync(cli.configPath).mode & 0o777).toBe(0o600);
    expect((await cli.run(['status'])).code).toBe(0);
  });

  it('refuses a GitHub user outside the allowed teams with exit 3', async () => {
    const result = await cli.run(['login', '--url', server.url], { GITHUB_TOKEN: 'gh-stranger' });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      /^overcast: You are not allowed to login \[HTTP 401 unauthenticated, request [\w-]+\]\n$/,
    );
  });

  it('takes the flag over the environment over the config file', async () => {
    mkdirSync(path.dirname(cli.configPath), { recursive: true });
    writeFileSync(cli.configPath, 'url: http://127.0.0.1:1\ntoken: from-file\n');
    const fromFile = await cli.run(['status']);
    expect(fromFile).toMatchObject({ code: 1, stderr: expect.stringContaining('cannot reach http://127.0.0.1:1') });
    const fromEnv = await cli.run(['status'], { OVERCAST_URL: server.url });
    expect(fromEnv).toMatchObject({ code: 3, stderr: expect.stringContaining('invalid token') });
    const fromFlag = await cli.run(['status', '--token', server.developerToken], {
      OVERCAST_URL: server.url,
      OVERCAST_TOKEN: 'from-env',
    });
    expect(fromFlag.code).toBe(0);
  });

  it('honours OVERCAST_CONFIG_DIR and reports a broken config file as a usage error', async () => {
    const custom = path.join(cli.home, 'custom');
    mkdirSync(custom);
    writeFileSync(path.join(custom, 'config.yml'), 'url: [unclosed\n');
    const result = await cli.run(['status'], { OVERCAST_CONFIG_DIR: custom });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^overcast: config file ${custom}/config.yml is not valid YAML: `));
    writeFileSync(path.join(custom, 'config.yml'), 'url: 8080\n');
    expect((await cli.run(['status'], { OVERCAST_CONFIG_DIR: custom })).stderr).toBe(
      `overcast: config file ${custom}/config.yml: "url" must be a string\n`,
    );
  });

  it('rejects a URL that is not http(s)', async () => {
    const result = await cli.run(['status', '--url', 'ftp://example.test', '--token', 't']);
    expect(result).toMatchObject({
      code: 2,
      stderr: 'overcast: the API URL "ftp://example.test" (from flag) must be http or https\n',
    });
  });
});

import { mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FakeOvercastServer } from '@overcast/sdk/testing';
import { startFakeOvercastServer } from '@overcast/sdk/testing';
import { parse } from 'yaml';
import { saveServerLogin, updateConfigFile } from '../src/config';
import type { CliSandbox } from './run-overcast';
import { createCliSandbox } from './run-overcast';

describe('overcast auth and config', () => {
  let server: FakeOvercastServer;
  let cli: CliSandbox;
  const stdin = (text: string) => ({ readStdin: () => Promise.resolve(text) });

  beforeEach(async () => {
    server = await startFakeOvercastServer();
    cli = createCliSandbox();
  });
  afterEach(async () => {
    await server.close();
    cli.remove();
  });

  it('logs in with a token read from stdin, checking it first, into a private YAML config file', async () => {
    const login = await cli.run(
      ['auth', 'login', '--with-token', '--url', server.url],
      {},
      stdin(`${server.adminToken}\n`),
    );
    expect(login.code).toBe(0);
    expect(login.stdout).toBe(
      `✓ logged in to ${server.url} as token 1 "fake admin" (admin, tenant default)\n  token saved to ${cli.configPath}\n`,
    );
    expect(parse(readFileSync(cli.configPath, 'utf8'))).toEqual({ url: server.url, token: server.adminToken });
    expect(statSync(cli.configPath).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(cli.configPath)).mode & 0o777).toBe(0o700);
    expect((await cli.run(['quotas'])).code).toBe(0);
  });

  it('refuses to save a token the server does not accept, and an empty stdin', async () => {
    const refused = await cli.run(
      ['auth', 'login', '--with-token', '--url', server.url],
      {},
      stdin('9-' + '0'.repeat(32)),
    );
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('HTTP 401 unauthenticated');
    const empty = await cli.run(['auth', 'login', '--with-token', '--url', server.url], {}, stdin('\n'));
    expect(empty).toMatchObject({ code: 2, stderr: 'overcast: --with-token read no token from standard input\n' });
    expect(() => statSync(cli.configPath)).toThrow();
  });

  it('shows the URL, the token owner and where each came from in auth status', async () => {
    await cli.run(['auth', 'login', '--with-token', '--url', server.url], {}, stdin(server.developerToken));
    const fromFile = await cli.run(['auth', 'status']);
    expect(fromFile.code).toBe(0);
    const tokenId = server.developerToken.split('-')[0] ?? '';
    expect(fromFile.stdout).toBe(
      `${server.url} (from ${cli.configPath})\n` +
        `  ✓ logged in as token ${tokenId} "fake developer" (developer, tenant default)\n` +
        `  token: ${tokenId}-**** (from ${cli.configPath})\n`,
    );
    expect(fromFile.stdout).not.toContain(server.developerToken);
    // The environment wins over the file, as GH_TOKEN does over gh's hosts file.
    const fromEnv = await cli.run(['auth', 'status', '--json'], { OVERCAST_TOKEN: server.adminToken });
    expect(JSON.parse(fromEnv.stdout)).toMatchObject({
      url: server.url,
      token_source: 'the OVERCAST_TOKEN environment variable',
      token_id: '1',
      role: 'admin',
      tenant_id: 'default',
    });
  });

  it('exits 3 from auth status when not logged in or the token is refused', async () => {
    const none = await cli.run(['auth', 'status', '--url', server.url]);
    expect(none).toEqual({
      code: 3,
      stdout: '',
      stderr: `overcast: not logged in to ${server.url}: run \`overcast auth login --with-token\`\n`,
    });
    const refused = await cli.run(['auth', 'status', '--url', server.url, '--token', `7-${'a'.repeat(32)}`]);
    expect(refused.code).toBe(3);
  });

  it('logs out by removing the token and keeping the URL, mentioning a token still in the environment', async () => {
    await cli.run(['auth', 'login', '--with-token', '--url', server.url], {}, stdin(server.adminToken));
    const logout = await cli.run(['auth', 'logout'], { OVERCAST_TOKEN: 'x' });
    expect(logout.stdout).toBe(
      `logged out: no token in ${cli.configPath} (OVERCAST_TOKEN is still set in your environment)\n`,
    );
    expect(parse(readFileSync(cli.configPath, 'utf8'))).toEqual({ url: server.url });
    expect((await cli.run(['auth', 'status'])).code).toBe(3);
  });

  it('gets, sets and lists config values, masking the token and refusing unknown keys and bad values', async () => {
    expect(await cli.run(['config', 'set', 'url', server.url])).toMatchObject({ code: 0, stdout: '' });
    expect(await cli.run(['config', 'set', 'token', server.adminToken])).toMatchObject({ code: 0 });
    expect((await cli.run(['config', 'get', 'url'])).stdout).toBe(`${server.url}\n`);
    expect((await cli.run(['config', 'list'])).stdout).toBe(`# ${cli.configPath}\nurl=${server.url}\ntoken=1-****\n`);
    expect(await cli.run(['config', 'get', 'editor'])).toMatchObject({
      code: 2,
      stderr: 'overcast: unknown config key "editor"; known keys: url, token\n',
    });
    expect((await cli.run(['config', 'set', 'url', 'ftp://x'])).code).toBe(2);
    expect((await cli.run(['config', 'set', 'token', 'secret'])).stderr).toBe(
      'overcast: token must look like <id>-<32 hex>\n',
    );
    expect((await cli.run(['status'])).code).toBe(0);
  });

  it('keeps the config under XDG_CONFIG_HOME when set, and under OVERCAST_CONFIG_DIR above all', async () => {
    const xdg = path.join(cli.home, 'xdg');
    await cli.run(['config', 'set', 'url', 'http://xdg.test'], { XDG_CONFIG_HOME: xdg });
    expect(readFileSync(path.join(xdg, 'overcast', 'config.yml'), 'utf8')).toContain('url: http://xdg.test');
    const own = path.join(cli.home, 'own');
    mkdirSync(own);
    await cli.run(['config', 'set', 'url', 'http://own.test'], { XDG_CONFIG_HOME: xdg, OVERCAST_CONFIG_DIR: own });
    expect(readFileSync(path.join(own, 'config.yml'), 'utf8')).toContain('url: http://own.test');
  });

  it('saves a server login for pnpm start through the exported writer, which the CLI then uses', async () => {
    const written = saveServerLogin({ url: server.url, token: server.adminToken }, {}, cli.home);
    expect(written).toEqual({ filePath: cli.configPath, saved: true });
    expect(statSync(cli.configPath).mode & 0o777).toBe(0o600);
    expect((await cli.run(['auth', 'status'])).stdout).toContain(`${server.url} (from ${cli.configPath})`);
    // The next pnpm start, on another port, replaces a login to this machine.
    const next = saveServerLogin({ url: 'http://127.0.0.1:1', token: 'next' }, {}, cli.home);
    expect(next).toEqual({ filePath: cli.configPath, saved: true });
  });

  it('never replaces a login to a server elsewhere when pnpm start saves its own', async () => {
    updateConfigFile(cli.configPath, { url: 'https://overcast.example.com', token: 'production-token' });
    const outcome = saveServerLogin({ url: server.url, token: server.adminToken }, {}, cli.home);
    expect(outcome).toEqual({ filePath: cli.configPath, saved: false, keptUrl: 'https://overcast.example.com' });
    expect(parse(readFileSync(cli.configPath, 'utf8'))).toEqual({
      url: 'https://overcast.example.com',
      token: 'production-token',
    });
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '@overcast/cli';
import { createClient } from '@overcast/sdk';
import { createLogger } from '@overcast/service-kit';
import { parseStandaloneConfig } from '../src/config';
import { startStandalone, type Standalone } from '../src/standalone';
import { overcastAdmin, printedToken } from './support/overcast-admin';

const logger = createLogger({ service: 'standalone-test', level: 'silent' });

async function start(dataDir: string): Promise<Standalone> {
  // The status probe's default second is short on a busy 2-core CI host; the test asserts the broker reports up,
  // not how fast.
  const config = parseStandaloneConfig({ PORT: '0', OVERCAST_DATA_DIR: dataDir, SERVICE_STATUS_TIMEOUT_MS: '10000' });
  return startStandalone({ config, logger });
}

async function runOvercast(
  standalone: Standalone,
  ...argv: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env: { OVERCAST_URL: standalone.url, OVERCAST_TOKEN: standalone.adminToken },
    homeDirectory: path.join(os.tmpdir(), 'overcast-cli-home-unused'),
  });
  return { code, stdout, stderr };
}

describe('pnpm start on embedded defaults (embedded Postgres, local provider)', () => {
  let dataDir: string;
  let standalone: Standalone | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'overcast-standalone-'));
  });

  afterEach(async () => {
    await standalone?.stop();
    standalone = undefined;
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves the API reference, reports healthy to `overcast status`, and keeps its data across a restart', async () => {
    standalone = await start(dataDir);
    expect(standalone.firstStart).toBe(true);

    const docs = await fetch(`${standalone.url}/docs`);
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toContain('text/html');
    expect(await docs.text()).toContain('/docs/api-reference.js');
    const spec = (await (await fetch(`${standalone.url}/openapi.json`)).json()) as { servers: { url: string }[] };
    expect(spec.servers[0]?.url).toBe(standalone.url);

    const status = await runOvercast(standalone, 'status', '--json');
    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
    const report = JSON.parse(status.stdout) as { status: string; services: { service: string; status: string }[] };
    expect(report.services).toEqual(
      expect.arrayContaining(
        ['instance-broker', 'registry', 'app-manager', 'image-inspector'].map((service) =>
          expect.objectContaining({ service, status: 'up' }),
        ),
      ),
    );

    const client = createClient({ baseUrl: standalone.url, token: standalone.adminToken });
    const created = await client.tokens.create({ description: 'kept across restarts', role: 'developer' });
    const firstUrl = standalone.url;
    const firstToken = standalone.adminToken;
    await standalone.stop();

    standalone = await start(dataDir);
    expect(standalone.firstStart).toBe(false);
    expect(standalone.adminToken).toBe(firstToken);
    const again = createClient({ baseUrl: standalone.url, token: created.token });
    const tokens = await createClient({ baseUrl: standalone.url, token: standalone.adminToken }).tokens.list();
    expect(tokens.map((token) => token.description)).toContain('kept across restarts');
    await expect(again.status()).resolves.toEqual(expect.objectContaining({ status: expect.any(String) }));
    expect(firstUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("lets an operator make a second tenant with overcast-admin while it runs, and that tenant sees none of the first one's data", async () => {
    standalone = await start(dataDir);
    const firstTenant = createClient({ baseUrl: standalone.url, token: standalone.adminToken });
    const mine = await firstTenant.tokens.create({ description: "the first tenant's", role: 'developer' });

    const printed = await overcastAdmin(
      { OVERCAST_DATA_DIR: dataDir },
      'create-token',
      'second tenant operator',
      '--tenant',
      'acme',
      '--role',
      'admin',
    );

    const token = printedToken(printed);
    expect(token).toMatch(/^\d+-[0-9a-f]{32}$/);
    const secondTenant = createClient({ baseUrl: standalone.url, token });
    const seen = await secondTenant.tokens.list();
    expect(seen.map((record) => record.description)).toEqual(['second tenant operator']);
    expect(seen.map((record) => record.id)).not.toContain(mine.id);
    await expect(secondTenant.tokens.revoke(mine.id)).rejects.toMatchObject({ status: 404 });
  }, 60_000);

  it('starts the embedded database itself when overcast-admin runs while Overcast is stopped', async () => {
    const token = printedToken(
      await overcastAdmin({ OVERCAST_DATA_DIR: dataDir }, 'create-token', 'made offline', '--tenant', 'acme'),
    );

    standalone = await start(dataDir);

    const seen = await createClient({ baseUrl: standalone.url, token }).tokens.list();
    expect(seen.map((record) => record.description)).toEqual(expect.arrayContaining(['made offline']));
  }, 60_000);
});

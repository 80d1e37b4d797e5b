import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '@overcast/service-kit';
import { createTestDatabase, describeWithServices, type TestDatabase } from '@overcast/test-kit';
import { parseStandaloneConfig } from '../src/config';
import { startStandalone, type Standalone } from '../src/standalone';

const logger = createLogger({ service: 'standalone-apps-test', level: 'silent' });

interface App {
  release: number;
  deploy_state: string | null;
  services: { name: string; status: string; endpoint: { dns_name: string } | null }[];
}
interface Answer {
  app: string;
  service: string;
  task: string;
  release: number;
  greeting: string;
}

// The issue's walk on `pnpm start`'s composition: a local district, hello-web as a public web service at scale 3
// behind the local balancer, scaled, given a GREETING, rolled back, and a one-off's output.
describeWithServices('apps on the local container platform, through the standalone gateway', () => {
  let dataDir: string;
  let testDatabase: TestDatabase;
  let standalone: Standalone;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'overcast-local-apps-'));
    testDatabase = await createTestDatabase();
    const config = parseStandaloneConfig({ PORT: '0', OVERCAST_DATA_DIR: dataDir, DATABASE_URL: testDatabase.url });
    standalone = await startStandalone({ config, logger });
  });

  afterAll(async () => {
    await standalone?.stop();
    await testDatabase?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function send<T>(method: string, route: string, body?: unknown): Promise<T> {
    const response = await fetch(`${standalone.url}${route}`, {
      method,
      headers: { authorization: `token ${standalone.adminToken}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status >= 300)
      throw new Error(`${method} ${route} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }

  async function deployed(release: number): Promise<App> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { app } = await send<{ app: App }>('GET', '/apps/hello');
      if (app.release === release && app.deploy_state === 'done') return app;
      if (app.release === release && app.deploy_state !== 'running') throw new Error(`deploy ${app.deploy_state}`);
      if (Date.now() > deadline) throw new Error(`release ${release} not deployed: ${JSON.stringify(app)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** 100 requests to the service's endpoint (its local balancer): what answered. */
  async function hundredRequests(app: App): Promise<Answer[]> {
    const endpoint = app.services[0]?.endpoint?.dns_name;
    if (!endpoint) throw new Error('the web service has no endpoint');
    const answers: Answer[] = [];
    for (let index = 0; index < 100; index += 1)
      answers.push((await (await fetch(`http://${endpoint}/`)).json()) as Answer);
    return answers;
  }

  it('spreads requests over 3 tasks, scales to 1, answers a new GREETING, rolls back, and runs a one-off', async () => {
    await send('POST', '/districts', { name: 'home', provider: 'local' });
    await send('POST', '/districts/home/apps', {
      name: 'hello',
      image_name: 'hello-web',
      services: [{ name: 'web', public: true, scale: 3, port_mappings: [{ lb_port: 80, container_port: 8080 }] }],
    });
    const first = await deployed(1);
    expect(first.services[0]).toMatchObject({ name: 'web', status: 'active' });
    const spread = await hundredRequests(first);
    expect(new Set(spread.map((answer) => answer.task)).size).toBe(3);
    expect(spread[0]).toMatchObject({ app: 'hello', service: 'web', release: 1, greeting: 'hello' });

    await send('POST', '/apps/hello/services/web/scale', { scale: 1 });
    const scaled = await hundredRequests(await deployed(2));
    expect(new Set(scaled.map((answer) => answer.task)).size).toBe(1);

    await send('POST', '/apps/hello/env_vars', { env_vars: { GREETING: 'bonjour' } });
    const greeted = await hundredRequests(await deployed(3));
    expect(new Set(greeted.map((answer) => `${answer.greeting}@${answer.release}`))).toEqual(new Set(['bonjour@3']));

    await send('POST', '/apps/hello/releases/2/rollback');
    const rolledBack = await hundredRequests(await deployed(4));
    expect(new Set(rolledBack.map((answer) => `${answer.greeting}@${answer.release}`))).toEqual(new Set(['hello@4']));

    const { oneoff } = await send<{ oneoff: { status: string; exit_code: number; output: string } }>(
      'POST',
      '/apps/hello/oneoffs',
      { command: 'echo hi from a one-off', sync: true },
    );
    expect(oneoff).toMatchObject({ status: 'stopped', exit_code: 0 });
    expect(oneoff.output).toContain('hi from a one-off');
  }, 120_000);

  it('refuses with 422 naming image_name an app whose image the local catalog cannot run', async () => {
    await send('POST', '/districts', { name: 'catalog', provider: 'local' });
    const response = await fetch(`${standalone.url}/districts/catalog/apps`, {
      method: 'POST',
      headers: { authorization: `token ${standalone.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'pulled', image_name: 'nginx', services: [{ name: 'web' }] }),
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      error: { code: 'unprocessable', details: [{ path: 'body.image_name' }] },
    });
  });
});

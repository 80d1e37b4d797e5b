import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { connectDatabase, type Database } from '@overcast/db';
import { createLogger } from '@overcast/service-kit';
import { createTestDatabase, describeWithServices, waitFor, type TestDatabase } from '@overcast/test-kit';
import { parseStandaloneConfig } from '../src/config';
import { appManagerSchema } from '../src/layout';
import { startStandalone, type Standalone } from '../src/standalone';

const logger = createLogger({ service: 'standalone-cron-test', level: 'silent' });
const minuteMs = 60_000;

interface App {
  release: number;
  deploy_state: string | null;
  services: { name: string; status: string; endpoint: { dns_name: string } | null }[];
}

/** The pid of the local task whose environment names it (each task process gets OVERCAST_TASK_ID). */
function pidOfTask(taskId: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(`OVERCAST_TASK_ID=${taskId}`))
        return Number(entry);
    } catch {
      // Gone, or not ours to read.
    }
  }
  return undefined;
}

// pnpm start's composition with the app manager's clock in the test's hands: the real durable scheduler (its
// exclusive job, next runs persisted) sees a minute pass each time the test moves the clock, without waiting one.
describeWithServices('cron services and tasks on the local platform, through the standalone gateway', () => {
  let dataDir: string;
  let testDatabase: TestDatabase;
  let standalone: Standalone | undefined;
  let sql: Database;
  let offsetMs = 0;
  const clock = { now: () => new Date(Date.now() + offsetMs) };
  /**
   * Moves the clock to a second past the next minute: a tick falls, and the test's own seconds have 59 of them before
   * the next. Moving it by a minute instead kept it where the set-up had left it: set-up and test taking 54 s (a
   * slow host) put a minute's end inside the test, and its tick was one more run than the test counted.
   */
  const advanceToNextMinute = () => {
    offsetMs += minuteMs - (clock.now().getTime() % minuteMs) + 1_000;
  };

  const start = async () => {
    const config = parseStandaloneConfig({
      PORT: '0',
      OVERCAST_DATA_DIR: dataDir,
      DATABASE_URL: testDatabase.url,
      SCHEDULER_INTERVAL_MS: '100',
      PERIODIC_JOB_LEASE_MS: '1000',
    });
    standalone = await startStandalone({ config, logger, appManagerClock: clock });
    return standalone;
  };

  beforeAll(async () => {
    // The clock starts a second into a minute, so the test's own seconds never carry it over a minute boundary:
    // at an unaligned start (the CI run at e695bbb) a deploy finishing at :59 saw its first tick a second later.
    advanceToNextMinute();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'overcast-local-cron-'));
    testDatabase = await createTestDatabase();
    await start();
    sql = await connectDatabase({ url: testDatabase.url, schema: appManagerSchema });
  });

  afterAll(async () => {
    await sql?.close();
    await standalone?.stop();
    await testDatabase?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function send<T>(method: string, route: string, body?: unknown): Promise<T> {
    const server = standalone;
    if (!server) throw new Error('pnpm start is not running');
    const response = await fetch(`${server.url}${route}`, {
      method,
      headers: { authorization: `token ${server.adminToken}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status >= 300)
      throw new Error(`${method} ${route} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }

  const deployed = (app: string) =>
    waitFor(
      `${app} deployed`,
      async () => {
        const shown = (await send<{ app: App }>('GET', `/apps/${app}`)).app;
        if (shown.deploy_state === 'failed') throw new Error(`deploy failed: ${JSON.stringify(shown)}`);
        return shown.deploy_state === 'done' && shown;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );

  /** The cron service's runs so far: one-off rows the scheduler made, with what each task printed. */
  async function runs(): Promise<{ status: string; output: string | null }[]> {
    const { rows } = await sql.pool.query<{ status: string; output: string | null }>(
      `SELECT status, output FROM ${appManagerSchema}.oneoffs WHERE service = 'tick' ORDER BY created_at`,
    );
    return rows;
  }

  /** A minute passes; the scheduler runs the tick once, and a second later still only once. */
  async function minutePasses(expected: number): Promise<void> {
    advanceToNextMinute();
    await waitFor(`run ${expected}`, async () => (await runs()).length >= expected, { timeoutMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // ten scheduler passes
    expect(await runs()).toHaveLength(expected);
  }

  it('runs a cron service scheduled every minute once a minute, across a restart of pnpm start', async () => {
    await send('POST', '/districts', { name: 'home', provider: 'local' });
    advanceToNextMinute(); // however long the set-up took: the deploy and the check below share this minute
    await send('POST', '/districts/home/apps', {
      name: 'ticker',
      image_name: 'hello-web',
      services: [{ name: 'tick', command: 'echo tick', schedule: '* * * * *' }],
    });
    expect((await deployed('ticker')).services[0]).toMatchObject({ name: 'tick', status: 'active' });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await runs()).toHaveLength(0); // not before its first minute

    await minutePasses(1);
    await minutePasses(2);
    await standalone?.stop();
    standalone = undefined;
    // A tick falls while nothing runs: the restarted scheduler runs it once, not once per replica or start.
    advanceToNextMinute();
    await start();
    await waitFor('the tick missed while stopped', async () => (await runs()).length >= 3, { timeoutMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await runs()).toHaveLength(3);
    await minutePasses(4);

    const finished = await waitFor(
      'every run to finish',
      async () => {
        const all = await runs();
        return all.every((run) => run.status === 'stopped') && all;
      },
      { timeoutMs: 20_000 },
    );
    expect(finished).toHaveLength(4);
    for (const run of finished) expect(run.output).toContain('tick');
  }, 120_000);

  it('replaces a task process killed by hand; its service stays active and answers from the new task', async () => {
    await send('POST', '/districts/home/apps', {
      name: 'hello',
      image_name: 'hello-web',
      services: [{ name: 'web', public: true, scale: 2, port_mappings: [{ lb_port: 80, container_port: 8080 }] }],
    });
    const endpoint = (await deployed('hello')).services[0]?.endpoint?.dns_name;
    if (!endpoint) throw new Error('the web service has no endpoint');
    const tasksAnswering = async () => {
      const tasks = new Set<string>();
      for (let index = 0; index < 40; index += 1) {
        const answer = (await (await fetch(`http://${endpoint}/`)).json()) as { task: string };
        tasks.add(answer.task);
      }
      return tasks;
    };
    const before = await waitFor('both tasks answering', async () => {
      const tasks = await tasksAnswering();
      return tasks.size === 2 && tasks;
    });
    const [victim] = [...before];
    const pid = pidOfTask(victim ?? '');
    if (!pid) throw new Error(`no process of task ${victim}`);
    process.kill(pid, 'SIGKILL');

    const after = await waitFor(
      'a replacement task answering',
      async () => {
        const tasks = await tasksAnswering().catch(() => undefined);
        return tasks?.size === 2 && !tasks.has(victim ?? '') && tasks;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect([...after].filter((task) => before.has(task))).toHaveLength(1);
    // The replacement answers before its first health check passes; the service is active again once it has.
    await waitFor(
      'the service active again',
      async () => (await send<{ app: App }>('GET', '/apps/hello')).app.services[0]?.status === 'active',
      { timeoutMs: 10_000 },
    );
  }, 60_000);
});

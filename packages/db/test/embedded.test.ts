import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'pg';
import { createPrismaAdapter, DatabaseOptionsError, startEmbeddedPostgres } from '../src';
import { embeddedTarget, uniqueSchema, type EmbeddedTarget } from './support/targets';
import { inboxBehaviour } from './suites/inbox-behaviour';
import { jobBehaviour } from './suites/job-behaviour';
import { migrationBehaviour } from './suites/migration-behaviour';
import { outboxBehaviour } from './suites/outbox-behaviour';

async function queryOnce(url: string, sql: string): Promise<unknown[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// One embedded server for the whole file: initialising a cluster costs about a second.
describe('on the embedded Postgres server', () => {
  let target: EmbeddedTarget;
  beforeAll(async () => {
    target = await embeddedTarget();
  }, 60_000);
  afterAll(async () => {
    await target.close();
  });

  describe('migrations', () => migrationBehaviour(() => target));
  describe('outbox', () => outboxBehaviour(() => target));
  describe('inbox', () => inboxBehaviour(() => target));
  describe('exclusive jobs', () => jobBehaviour(() => target));

  // The fault that retired PGlite: every connection shared one session, so concurrent extended-protocol
  // queries received each other's parameters and rows.
  it('gives every one of many concurrent queries on many connections its own parameters and rows', async () => {
    const database = await target.connect(uniqueSchema('many'), { maxConnections: 10 });
    const queries = Array.from({ length: 2_000 }, (_, n) =>
      n % 3 === 0
        ? database.pool.query<{ value: number }>({
            name: 'doubled',
            text: 'SELECT $1::int * 2 AS value, pg_sleep(0.001)',
            values: [n],
          })
        : database.pool.query<{ value: number }>('SELECT $1::int + $2::int AS value', [n, 1000]),
    );

    const answers = await Promise.all(queries);

    expect(answers.map((answer) => answer.rows[0]?.value)).toEqual(
      Array.from({ length: 2_000 }, (_, n) => (n % 3 === 0 ? n * 2 : n + 1000)),
    );
    const backends = await queryOnce(
      target.url,
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'overcast:${database.schema}'`,
    );
    expect(backends).toEqual([{ n: 10 }]);
  });

  it('refuses connections without the cluster password', async () => {
    const url = new URL(target.url);
    url.password = 'not-the-password';

    await expect(queryOnce(url.toString(), 'SELECT 1')).rejects.toThrow(/password authentication failed/);
  });

  it('gives Prisma an adapter that names the service schema in its queries', async () => {
    const database = await target.connect(uniqueSchema('prisma'));
    const adapter = await createPrismaAdapter(database).connect();

    expect(adapter.getConnectionInfo().schemaName).toBe(database.schema);
    const result = await adapter.queryRaw({ sql: 'SELECT 41 + 1 AS answer', args: [], argTypes: [] });
    expect(result.rows).toEqual([[42]]);
    await adapter.dispose();
  });

  it('refuses a second server on a directory that is already being served', async () => {
    await expect(startEmbeddedPostgres({ dataDir: target.dataDir })).rejects.toThrow(/already served by this process/);
  });

  it('names the bad option', async () => {
    await expect(startEmbeddedPostgres({ dataDir: '' })).rejects.toThrow(DatabaseOptionsError);
    await expect(startEmbeddedPostgres({ dataDir: target.dataDir, port: 70_000 })).rejects.toThrow(
      /^port: must be an integer/,
    );
  });

  // Last but one: it stops the shared server and leaves it to the next test to bring back.
  it('stops the server a SIGKILLed process left running and starts on the same data', async () => {
    const database = await target.connect('survivor');
    await database.pool.query('CREATE TABLE survivor.notes (text TEXT)');
    await database.pool.query(`INSERT INTO survivor.notes VALUES ('committed before the crash')`);
    await target.restart();
    const { dataDir } = target;
    await target.stopOnly();

    const crashing = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'support', 'crash-embedded.ts'), dataDir],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const [firstLine] = (await once(crashing.stdout, 'data')) as [Buffer];
    const orphanUrl = firstLine.toString().trim();
    crashing.kill('SIGKILL');
    await once(crashing, 'exit');
    const postmaster = Number.parseInt(await readFile(join(dataDir, 'postmaster.pid'), 'utf8'), 10);
    expect(await queryOnce(orphanUrl, 'SELECT 1 AS alive')).toEqual([{ alive: 1 }]);
    expect(isAlive(postmaster)).toBe(true);

    await target.start();

    expect(isAlive(postmaster)).toBe(false);
    expect(await queryOnce(target.url, 'SELECT text FROM survivor.notes')).toEqual([
      { text: 'committed before the crash' },
    ]);
  }, 60_000);

  // Last: it restarts the shared server.
  it('keeps its data across a restart on the same directory', async () => {
    const database = await target.connect('keeper');
    await database.pool.query('CREATE TABLE keeper.notes (text TEXT)');
    await database.pool.query(`INSERT INTO keeper.notes VALUES ('still here')`);

    await target.restart();

    expect(await queryOnce(target.url, 'SELECT text FROM keeper.notes')).toEqual([{ text: 'still here' }]);
  });
});

import { Client } from 'pg';
import { createPrismaAdapter, DatabaseOptionsError, startEmbeddedPostgres } from '../src';
import { embeddedTarget, uniqueSchema, type EmbeddedTarget } from './support/targets';
import { inboxBehaviour } from './suites/inbox-behaviour';
import { jobBehaviour } from './suites/job-behaviour';
import { migrationBehaviour } from './suites/migration-behaviour';
import { outboxBehaviour } from './suites/outbox-behaviour';

// One embedded server for the whole file: initializing a PGlite directory costs seconds.
describe('on the embedded PGlite server', () => {
  let target: EmbeddedTarget;
  beforeAll(async () => {
    target = await embeddedTarget();
  }, 60_000);
  afterAll(async () => {
    await target.close();
  });

  describe('migrations', () => migrationBehaviour(() => target, { concurrentReplicas: false }));
  describe('outbox', () => outboxBehaviour(() => target));
  describe('inbox', () => inboxBehaviour(() => target));
  describe('exclusive jobs', () => jobBehaviour(() => target));

  it('serves many connections at once and answers each its own query', async () => {
    const database = await target.connect(uniqueSchema('many'), { maxConnections: 5 });

    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, n) =>
        database.pool.query<{ value: number }>(n % 2 ? 'SELECT $1::int * 2 AS value' : 'SELECT $1::int + 1000 AS value', [n]),
      ),
    );

    expect(answers.map((answer) => answer.rows[0]?.value)).toEqual(
      Array.from({ length: 100 }, (_, n) => (n % 2 ? n * 2 : n + 1000)),
    );
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
    await expect(startEmbeddedPostgres({ dataDir: target.dataDir, port: 70_000 })).rejects.toThrow(/^port: must be an integer/);
  });

  // Last: it restarts the shared server.
  it('keeps its data across a restart on the same directory', async () => {
    const database = await target.connect('keeper');
    await database.pool.query('CREATE TABLE keeper.notes (text TEXT)');
    await database.pool.query(`INSERT INTO keeper.notes VALUES ('still here')`);

    await target.restart();

    const client = new Client({ connectionString: target.url });
    await client.connect();
    const notes = await client.query('SELECT text FROM keeper.notes');
    await client.end();
    expect(notes.rows).toEqual([{ text: 'still here' }]);
  });
});

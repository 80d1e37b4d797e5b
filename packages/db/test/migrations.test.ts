import { describeWithPostgres, waitFor } from '@overcast/test-kit';
import { applyMigrations, DatabaseOptionsError, runMigrateCommand, type Database } from '../src';
import { createMigrationsDir } from './support/migrations-dir';
import { realPostgresTarget, uniqueSchema, type DatabaseTarget } from './support/targets';
import { migrationBehaviour } from './suites/migration-behaviour';

async function tableExists(database: Database, table: string): Promise<boolean> {
  const result = await database.pool.query('SELECT to_regclass($1) AS found', [`"${database.schema}"."${table}"`]);
  return result.rows[0]?.found !== null;
}

describeWithPostgres('migrations on the real Postgres', () => {
  let target: DatabaseTarget;
  beforeAll(async () => {
    target = await realPostgresTarget();
  });
  afterAll(async () => {
    await target.close();
  });

  migrationBehaviour(() => target);

  it('holds the same advisory lock as `prisma migrate deploy`, so the two never run together', async () => {
    const database = await target.connect(uniqueSchema('lock'));
    const migrations = await createMigrationsDir({ '20250101000000_init': 'CREATE TABLE "T" (id INT);' });
    const prismaDeploy = await database.pool.connect();
    await prismaDeploy.query('SELECT pg_advisory_lock(72707369)');

    const migrating = applyMigrations(database, migrations.dir);
    await waitFor('the runner to queue behind the held lock', async () => {
      const waiting = await database.pool.query(
        `SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = 72707369 AND NOT granted`,
      );
      return (waiting.rowCount ?? 0) > 0;
    });
    expect(await tableExists(database, 'T')).toBe(false);
    await prismaDeploy.query('SELECT pg_advisory_unlock(72707369)');
    prismaDeploy.release();

    expect((await migrating).applied).toEqual(['20250101000000_init']);
    await migrations.remove();
  });

  it('names the directory when it cannot be read', async () => {
    const database = await target.connect(uniqueSchema('mig'));
    await expect(applyMigrations(database, '/nonexistent/prisma/migrations')).rejects.toThrow(DatabaseOptionsError);
    await expect(applyMigrations(database, '/nonexistent/prisma/migrations')).rejects.toThrow(
      /^migrationsDir: cannot read/,
    );
  });

  it('gives a migrate script output and an exit code instead of a crash', async () => {
    const migrations = await createMigrationsDir({ '20250101000000_init': 'CREATE TABLE "T" (id INT);' });
    const out: string[] = [];
    const err: string[] = [];
    const streams = {
      out: { write: (text: string) => out.push(text) } as unknown as NodeJS.WritableStream,
      err: { write: (text: string) => err.push(text) } as unknown as NodeJS.WritableStream,
    };
    const schema = uniqueSchema('cli');

    expect(await runMigrateCommand({ url: target.url, schema, migrationsDir: migrations.dir }, streams)).toBe(0);
    expect(out.join('')).toContain('applied 20250101000000_init');

    const exitCodeBefore = process.exitCode;
    expect(
      await runMigrateCommand({ url: target.url, schema: 'Bad-Name', migrationsDir: migrations.dir }, streams),
    ).toBe(1);
    expect(err.join('')).toMatch(/migration failed: schema: must be a lower-case identifier/);
    process.exitCode = exitCodeBefore;
    await migrations.remove();
  });
});

import { createHash } from 'node:crypto';
import {
  applyMigrations,
  MigrationChecksumMismatchError,
  MigrationFailedError,
  UnfinishedMigrationError,
  type Database,
} from '../../src';
import { createMigrationsDir } from '../support/migrations-dir';
import { uniqueSchema, type DatabaseTarget } from '../support/targets';

const createWidgets = 'CREATE TABLE "Widget" ("id" TEXT PRIMARY KEY, "name" TEXT NOT NULL);\n';
const addColour = 'ALTER TABLE "Widget" ADD COLUMN "colour" TEXT;\n';
const createGadgets = 'CREATE TABLE "Gadget" ("id" SERIAL PRIMARY KEY);\n';

async function tableExists(database: Database, table: string): Promise<boolean> {
  const result = await database.pool.query<{ found: boolean }>('SELECT to_regclass($1) IS NOT NULL AS found', [
    `"${database.schema}"."${table}"`,
  ]);
  return result.rows[0]?.found === true;
}

async function history(database: Database) {
  const result = await database.pool.query<{
    id: string;
    checksum: string;
    migration_name: string;
    finished_at: Date | null;
    applied_steps_count: number;
    logs: string | null;
    rolled_back_at: Date | null;
  }>(`SELECT * FROM "${database.schema}"."_prisma_migrations" ORDER BY finished_at`);
  return result.rows;
}

/** Migration-runner behaviour every target must show (the machine's Postgres and the embedded one alike). */
export function migrationBehaviour(target: () => DatabaseTarget): void {
  it('applies pending migrations in name order, in the service schema, recorded as Prisma records them', async () => {
    const database = await target().connect(uniqueSchema('mig'));
    const migrations = await createMigrationsDir({
      '20250102000000_colour': addColour,
      '20250101000000_init': createWidgets,
    });

    const result = await applyMigrations(database, migrations.dir);

    expect(result).toEqual({ applied: ['20250101000000_init', '20250102000000_colour'], alreadyApplied: [] });
    expect(await tableExists(database, 'Widget')).toBe(true);
    const rows = await history(database);
    expect(rows.map((row) => row.migration_name)).toEqual(['20250101000000_init', '20250102000000_colour']);
    expect(rows[0]).toMatchObject({
      checksum: createHash('sha256').update(createWidgets).digest('hex'),
      applied_steps_count: 1,
      logs: null,
      rolled_back_at: null,
    });
    expect(rows[0]?.finished_at).toBeInstanceOf(Date);
    expect(rows[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
    await migrations.remove();
  });

  it('applies nothing twice: a second run, and a later run with one new migration, apply only what is new', async () => {
    const database = await target().connect(uniqueSchema('mig'));
    const migrations = await createMigrationsDir({ '20250101000000_init': createWidgets });
    await applyMigrations(database, migrations.dir);

    expect(await applyMigrations(database, migrations.dir)).toEqual({
      applied: [],
      alreadyApplied: ['20250101000000_init'],
    });
    await migrations.write('20250103000000_gadgets', createGadgets);
    expect(await applyMigrations(database, migrations.dir)).toEqual({
      applied: ['20250103000000_gadgets'],
      alreadyApplied: ['20250101000000_init'],
    });
    expect(await history(database)).toHaveLength(2);
    await migrations.remove();
  });

  it('refuses to run when an applied migration was edited, naming it, and applies nothing', async () => {
    const database = await target().connect(uniqueSchema('mig'));
    const migrations = await createMigrationsDir({ '20250101000000_init': createWidgets });
    await applyMigrations(database, migrations.dir);
    await migrations.write('20250101000000_init', `${createWidgets}-- edited\n`);
    await migrations.write('20250103000000_gadgets', createGadgets);

    const attempt = applyMigrations(database, migrations.dir);

    await expect(attempt).rejects.toBeInstanceOf(MigrationChecksumMismatchError);
    await expect(attempt).rejects.toThrow(/"20250101000000_init" was modified after it was applied/);
    expect(await tableExists(database, 'Gadget')).toBe(false);
    await migrations.remove();
  });

  it('accepts an applied migration whose line endings git converted to CRLF', async () => {
    const database = await target().connect(uniqueSchema('mig'));
    const migrations = await createMigrationsDir({ '20250101000000_init': `-- widgets\n${createWidgets}` });
    await applyMigrations(database, migrations.dir);
    await migrations.write('20250101000000_init', `-- widgets\r\n${createWidgets.replace('\n', '\r\n')}`);

    await expect(applyMigrations(database, migrations.dir)).resolves.toEqual({
      applied: [],
      alreadyApplied: ['20250101000000_init'],
    });
    await migrations.remove();
  });

  it('rolls a failing migration back entirely, names it, keeps the ones before it, and retries it next run', async () => {
    const database = await target().connect(uniqueSchema('mig'));
    const migrations = await createMigrationsDir({
      '20250101000000_init': createWidgets,
      '20250102000000_broken': `${createGadgets}ALTER TABLE "Nope" ADD COLUMN "x" INT;\n`,
    });

    const attempt = applyMigrations(database, migrations.dir);

    await expect(attempt).rejects.toBeInstanceOf(MigrationFailedError);
    await expect(attempt).rejects.toThrow(/"20250102000000_broken" failed and was rolled back: .*Nope/);
    expect(await tableExists(database, 'Widget')).toBe(true);
    expect(await tableExists(database, 'Gadget')).toBe(false);
    expect((await history(database)).map((row) => row.migration_name)).toEqual(['20250101000000_init']);

    await migrations.write('20250102000000_broken', createGadgets);
    expect((await applyMigrations(database, migrations.dir)).applied).toEqual(['20250102000000_broken']);
    await migrations.remove();
  });

  it('refuses to run over a migration Prisma left unfinished', async () => {
    const database = await target().connect(uniqueSchema('mig'));
    const migrations = await createMigrationsDir({ '20250101000000_init': createWidgets });
    await applyMigrations(database, migrations.dir);
    await database.pool.query(
      `INSERT INTO "${database.schema}"."_prisma_migrations" (id, checksum, migration_name, logs)
       VALUES ('00000000-0000-4000-8000-000000000000', 'x', '20250102000000_half', 'boom')`,
    );

    await expect(applyMigrations(database, migrations.dir)).rejects.toBeInstanceOf(UnfinishedMigrationError);
    await expect(applyMigrations(database, migrations.dir)).rejects.toThrow(/"20250102000000_half" started earlier/);
    await migrations.remove();
  });

  it('keeps schemas apart: the same migrations apply independently to two services in one database', async () => {
    const first = await target().connect(uniqueSchema('svc'));
    const second = await target().connect(uniqueSchema('svc'));
    const migrations = await createMigrationsDir({ '20250101000000_init': createWidgets });

    expect((await applyMigrations(first, migrations.dir)).applied).toHaveLength(1);
    expect((await applyMigrations(second, migrations.dir)).applied).toHaveLength(1);
    await first.pool.query(`INSERT INTO "${first.schema}"."Widget" VALUES ('w1', 'only in first')`);
    const inSecond = await second.pool.query(`SELECT count(*)::int AS n FROM "${second.schema}"."Widget"`);
    expect(inSecond.rows[0]).toEqual({ n: 0 });
    await migrations.remove();
  });

  it('serializes replicas migrating at once: every migration is applied exactly once', async () => {
    const schema = uniqueSchema('race');
    const replicas = await Promise.all([1, 2, 3].map(() => target().connect(schema)));
    const migrations = await createMigrationsDir({
      '20250101000000_init': createWidgets,
      '20250102000000_colour': addColour,
      '20250103000000_gadgets': createGadgets,
    });

    const results = await Promise.all(replicas.map((replica) => applyMigrations(replica, migrations.dir)));

    const appliedEverywhere = results.flatMap((result) => result.applied).sort();
    expect(appliedEverywhere).toEqual(['20250101000000_init', '20250102000000_colour', '20250103000000_gadgets']);
    expect(await history(replicas[0]!)).toHaveLength(3);
    await migrations.remove();
  });

  it('creates the platform tables so services never ship their SQL', async () => {
    const database = await target().connect(uniqueSchema('mig'));
    const migrations = await createMigrationsDir();

    expect(await applyMigrations(database, migrations.dir)).toEqual({ applied: [], alreadyApplied: [] });

    for (const table of ['_prisma_migrations', '_overcast_outbox', '_overcast_inbox', '_overcast_job_leases']) {
      expect(await tableExists(database, table)).toBe(true);
    }
    await migrations.remove();
  });
}

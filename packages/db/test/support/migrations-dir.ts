import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throwaway `prisma/migrations` directory in Prisma's layout. */
export async function createMigrationsDir(migrations: Record<string, string> = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'overcast-migrations-'));
  async function write(name: string, sql: string): Promise<void> {
    await mkdir(join(dir, name), { recursive: true });
    await writeFile(join(dir, name, 'migration.sql'), sql);
  }
  for (const [name, sql] of Object.entries(migrations)) await write(name, sql);
  await writeFile(join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
  return { dir, write, remove: () => rm(dir, { recursive: true, force: true }) };
}

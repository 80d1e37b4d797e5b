import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatabaseOptionsError } from '../errors';
import { migrationChecksum } from './checksum';

export interface MigrationFile {
  /** The directory name, e.g. `20251120093000_create_instances`: Prisma's `migration_name`. */
  name: string;
  script: string;
  checksum: string;
}

/**
 * Prisma's layout: `<dir>/<name>/migration.sql`, applied in name order (names start with a timestamp).
 * `migration_lock.toml` and other plain files are ignored, as Prisma does.
 */
export async function readMigrations(migrationsDir: string): Promise<MigrationFile[]> {
  if (typeof migrationsDir !== 'string' || migrationsDir === '') {
    throw new DatabaseOptionsError('migrationsDir', 'must be the path of a prisma/migrations directory');
  }
  let entries;
  try {
    entries = await readdir(migrationsDir, { withFileTypes: true });
  } catch (error) {
    throw new DatabaseOptionsError('migrationsDir', `cannot read ${migrationsDir}: ${(error as Error).message}`);
  }
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const migrations: MigrationFile[] = [];
  for (const name of names) {
    const path = join(migrationsDir, name, 'migration.sql');
    let script: string;
    try {
      script = await readFile(path, 'utf8');
    } catch (error) {
      throw new DatabaseOptionsError(
        'migrationsDir',
        `migration "${name}" has no readable migration.sql (${(error as Error).message})`,
      );
    }
    migrations.push({ name, script, checksum: migrationChecksum(script) });
  }
  return migrations;
}

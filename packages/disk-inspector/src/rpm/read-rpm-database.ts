import { DatabaseSync } from 'node:sqlite';
import { UnreadableImageError } from '../inspection-error';
import type { FileTree } from '../filesystems/file-tree';
import { inspectionLimits } from '../limits';
import { readBerkeleyHashValues } from './berkeley-db-hash';
import { parseRpmHeader, type RpmPackage } from './rpm-header';

export interface RpmDatabase {
  /** The file read, e.g. /var/lib/rpm/rpmdb.sqlite. */
  path: string;
  form: 'sqlite' | 'berkeley-db';
  packages: RpmPackage[];
}

// RHEL ≤ 8 keep a Berkeley DB hash, RHEL 9 and Fedora ≥ 33 SQLite; newer rpm moved the directory.
const databaseDirectories = ['/var/lib/rpm', '/usr/lib/sysimage/rpm'];
const forms = [
  { file: 'rpmdb.sqlite', form: 'sqlite', read: readSqlitePackages },
  { file: 'Packages', form: 'berkeley-db', read: readBerkeleyPackages },
] as const;

/** The installed packages of an image, from the first rpm database found; undefined when it has none. */
export async function readRpmDatabase(tree: FileTree): Promise<RpmDatabase | undefined> {
  for (const directory of databaseDirectories) {
    for (const { file, form, read } of forms) {
      const path = `${directory}/${file}`;
      const found = await tree.readFile(path, inspectionLimits.rpmDatabaseBytes);
      if (found) return { path, form, packages: read(found.bytes) };
    }
    if ((await tree.list(directory)).includes('Packages.db')) {
      throw new UnreadableImageError(`rpmdb: ${directory}/Packages.db is rpm's ndb form, which is not read yet`);
    }
  }
  return undefined;
}

/** SQLite opens the bytes in memory (sqlite3_deserialize), read-only in effect: nothing is written anywhere. */
function readSqlitePackages(file: Buffer): RpmPackage[] {
  const database = new DatabaseSync(':memory:');
  try {
    database.deserialize(new Uint8Array(file.buffer, file.byteOffset, file.byteLength));
    const rows = database.prepare('SELECT blob FROM Packages').all();
    return rows.flatMap((row) => {
      const blob = row.blob;
      const header = blob instanceof Uint8Array ? parseRpmHeader(Buffer.from(blob)) : undefined;
      return header ? [header] : [];
    });
  } catch (error) {
    if (error instanceof UnreadableImageError) throw error;
    throw new UnreadableImageError(`rpmdb: the SQLite database cannot be read (${(error as Error).message})`);
  } finally {
    database.close();
  }
}

function readBerkeleyPackages(file: Buffer): RpmPackage[] {
  return readBerkeleyHashValues(file).flatMap((value) => {
    const header = parseRpmHeader(value);
    return header ? [header] : [];
  });
}

import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { buildRpmHeader, type TestPackage } from './rpm-headers';

/** An rpmdb.sqlite as rpm ≥ 4.16 writes it (the Packages table of header blobs). */
export function writeSqliteRpmDatabase(path: string, packages: TestPackage[]): void {
  const database = new DatabaseSync(path);
  database.exec('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)');
  const insert = database.prepare('INSERT INTO Packages (blob) VALUES (?)');
  for (const pkg of packages) insert.run(buildRpmHeader(pkg));
  database.close();
}

/** A Berkeley DB hash Packages file as RHEL ≤ 8 has, made by Berkeley DB's own db_load (db5.3-util). */
export function writeBerkeleyRpmDatabase(path: string, packages: TestPackage[]): void {
  const escape = (bytes: Buffer): string =>
    [...bytes].map((byte) => `\\${byte.toString(16).padStart(2, '0')}`).join('');
  const counter = Buffer.alloc(4);
  counter.writeUInt32LE(packages.length + 1);
  const lines = [escape(Buffer.alloc(4)), escape(counter)]; // rpm's record 0: the next header number
  packages.forEach((pkg, index) => {
    const key = Buffer.alloc(4);
    key.writeUInt32LE(index + 1);
    lines.push(escape(key), escape(buildRpmHeader(pkg)));
  });
  const input = `${lines.join('\n')}\n`;
  writeFileSync(`${path}.txt`, input);
  execFileSync(berkeleyLoad(), ['-T', '-t', 'hash', '-f', `${path}.txt`, path]);
}

export function berkeleyLoad(): string {
  for (const candidate of ['db5.3_load', 'db_load']) {
    try {
      execFileSync('which', [candidate]);
      return candidate;
    } catch {
      // try the next name
    }
  }
  throw new Error('db_load (Debian db5.3-util) is needed to build a Berkeley DB rpm database');
}

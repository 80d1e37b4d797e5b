import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { embeddedUrl } from './embedded-url';
import { readCredentials } from './initialise-cluster';
import { isProcessAlive } from './process-alive';

/**
 * The URL of the embedded server another process is running on `dataDir` (e.g. `pnpm start`), or null when none
 * runs there. `postmaster.pid` is Postgres's own record of a live server: pid, directory, start time, port, ….
 */
export async function findRunningEmbeddedPostgres(dataDir: string): Promise<string | null> {
  const directory = resolve(dataDir);
  const lines = (await readFile(join(directory, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n');
  const pid = Number.parseInt(lines[0] ?? '', 10);
  const port = Number.parseInt(lines[3] ?? '', 10);
  const credentials = await readCredentials(directory);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || credentials === null || !isProcessAlive(pid)) return null;
  return embeddedUrl(credentials.password, port);
}

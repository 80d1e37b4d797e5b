import { readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { isProcessAlive } from './process-alive';

const heldInThisProcess = new Set<string>();

/**
 * Which Overcast process serves a cluster: a second `pnpm start` in one checkout is refused with a clear message,
 * and a server left running by a process that no longer lives is known to be an orphan. The pid file sits beside
 * the cluster (in Overcast's directory, not the server user's).
 */
export async function lockDataDir(parent: string, dataDir: string): Promise<() => Promise<void>> {
  const path = join(parent, `${basename(dataDir)}.overcast.pid`);
  if (heldInThisProcess.has(dataDir)) {
    throw new Error(`embedded Postgres data directory ${dataDir} is already served by this process`);
  }
  const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
  if (Number.isInteger(holder) && holder !== process.pid && isProcessAlive(holder)) {
    throw new Error(`embedded Postgres data directory ${dataDir} is in use by process ${holder}; stop it first`);
  }
  await writeFile(path, String(process.pid));
  heldInThisProcess.add(dataDir);
  return async () => {
    heldInThisProcess.delete(dataDir);
    await rm(path, { force: true });
  };
}

import { readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

const heldInThisProcess = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else — still alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

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
  if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
    throw new Error(`embedded Postgres data directory ${dataDir} is in use by process ${holder}; stop it first`);
  }
  await writeFile(path, String(process.pid));
  heldInThisProcess.add(dataDir);
  return async () => {
    heldInThisProcess.delete(dataDir);
    await rm(path, { force: true });
  };
}

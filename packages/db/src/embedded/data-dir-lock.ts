import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const lockFileName = 'overcast-embedded.pid';
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
 * PGlite keeps no lock of its own: two servers on one directory would both write it and corrupt it
 * (e.g. two `pnpm start` in one checkout). A pid file refuses the second one with a clear message.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const path = join(dataDir, lockFileName);
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

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessAlive } from './process-alive';

/** The pid in `postmaster.pid` when that process is alive and is a postgres serving `dataDir`. */
async function livePostmaster(dataDir: string): Promise<number | null> {
  const firstLine = (await readFile(join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0] ?? '';
  const pid = Number.parseInt(firstLine, 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isProcessAlive(pid)) return null;
  const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  return commandLine.split('\0').includes(dataDir) ? pid : null;
}

/**
 * The server runs in a process group of its own (a terminal's Ctrl-C must not stop the database under a service
 * that is still draining), so a control plane killed with SIGKILL leaves it running. The caller holds the data
 * directory's lock, so no live Overcast owns it: stop it (fast shutdown, then SIGKILL after `graceMs`).
 */
export async function stopOrphanedServer(dataDir: string, graceMs = 10_000): Promise<number | null> {
  const pid = await livePostmaster(dataDir);
  if (pid === null) return null;
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + graceMs;
  while (isProcessAlive(pid)) {
    if (Date.now() > deadline) process.kill(pid, 'SIGKILL');
    await sleep(50);
  }
  return pid;
}

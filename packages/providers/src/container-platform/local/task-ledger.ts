import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../../local/instance-files';

/**
 * The pids of the tasks this process runs, in one file. Tasks run in their own process groups and outlive a
 * crashed control plane; the next start stops what the file names (only processes whose environment still
 * carries that task's id, so a recycled pid is never signalled) before it starts tasks on the same addresses.
 */
export function createTaskLedger(file: string | null, warn: (message: string) => void) {
  const pids = new Map<string, number>();
  const save = () => {
    if (file) writeFileAtomic(file, JSON.stringify(Object.fromEntries(pids)));
  };

  return {
    /** Stop the tasks a previous run left behind. */
    reapLeftovers(): number {
      if (!file || !existsSync(file)) return 0;
      let reaped = 0;
      try {
        const left = JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>;
        const killed: number[] = [];
        for (const [id, pid] of Object.entries(left)) {
          if (!isTask(pid, id)) continue;
          try {
            process.kill(-pid, 'SIGKILL');
            killed.push(pid);
            reaped += 1;
          } catch {
            // Gone meanwhile.
          }
        }
        // Their listeners close only once they are dead: the balancers restored next claim those addresses alone.
        waitUntilGone(killed, reapWaitMs);
      } catch (error) {
        warn(`local container platform: unreadable task ledger ${file}: ${(error as Error).message}`);
      }
      mkdirSync(dirname(file), { recursive: true });
      save();
      return reaped;
    },
    record(id: string, pid: number): void {
      pids.set(id, pid);
      save();
    },
    forget(id: string): void {
      if (pids.delete(id)) save();
    },
  };
}

/** How long a start waits for the tasks it killed to die (SIGKILL is delivered at once; exiting takes a moment). */
const reapWaitMs = 3_000;

/** Dead or a zombie: a zombie holds no sockets, and the tasks' parent (the dead run) cannot reap it. */
function isGone(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** Block (this runs once, at start) until every pid is gone or the wait is over. */
function waitUntilGone(pids: number[], timeoutMs: number): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + timeoutMs;
  while (pids.some((pid) => !isGone(pid)) && Date.now() < deadline) Atomics.wait(pause, 0, 0, 10);
}

function isTask(pid: number, id: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`OVERCAST_TASK_ID=${id}`);
  } catch {
    return false;
  }
}

export type TaskLedger = ReturnType<typeof createTaskLedger>;

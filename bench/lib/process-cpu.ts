import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

// Linux reports CPU time in clock ticks; 100 per second on every kernel this runs on.
const ticksPerSecond = 100;

/** User + system CPU time a process has used so far, in ms; 0 once it is gone. */
export function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return 0;
  }
}

/** The process listening on a loopback TCP port (the RabbitMQ node), if `ss` can tell. */
export function listenerPid(port: number): number | undefined {
  try {
    const output = execFileSync('ss', ['-ltnpH', `sport = :${port}`], { encoding: 'utf8' });
    const match = /pid=(\d+)/.exec(output);
    return match?.[1] ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

export type ProcessGroups = Record<string, number[]>;

function readGroups(groups: ProcessGroups): Map<string, Map<number, number>> {
  return new Map(Object.entries(groups).map(([name, pids]) => [name, new Map(pids.map((pid) => [pid, cpuMsOf(pid)]))]));
}

/**
 * CPU ms each group of processes used while `work` ran. Groups are listed again at the end, because pools
 * open and close connections (Postgres backends come and go): a process that started meanwhile counts in
 * full, one that ended meanwhile is left out (its last reading is lost with it) rather than counted negative.
 */
export async function measureCpu<T>(
  groups: () => Promise<ProcessGroups>,
  work: () => Promise<T>,
): Promise<{ result: T; cpuMs: Record<string, number> }> {
  const before = readGroups(await groups());
  const result = await work();
  const after = readGroups(await groups());
  const cpuMs: Record<string, number> = {};
  for (const [name, pids] of after) {
    let used = 0;
    for (const [pid, ms] of pids) if (ms > 0) used += ms - (before.get(name)?.get(pid) ?? 0);
    cpuMs[name] = used;
  }
  return { result, cpuMs };
}

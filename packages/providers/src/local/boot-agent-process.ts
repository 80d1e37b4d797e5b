import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The agent runs as TypeScript through Node's own type stripping: no build step, no loader in the VM. */
export const bootAgentPath = join(__dirname, 'boot-agent.mts');

function nodeFlags(): string[] {
  // Node ≥ 22.18 / 23.6 strip types by default; older 22.x needs the flag.
  const strip = process.features.typescript ? [] : ['--experimental-strip-types'];
  return [...strip, '--disable-warning=ExperimentalWarning'];
}

/**
 * Start an instance's boot agent in its own process group (so terminate can signal everything the instance
 * started), detached so instances outlive a provider restart like VMs do, with stdout and stderr appended
 * straight to the console log file (no pipe through this process).
 */
export function spawnBootAgent(options: { dir: string; env: Record<string, string> }): ChildProcess {
  const consoleFd = openSync(join(options.dir, 'console.log'), 'a', 0o600);
  try {
    const child = spawn(process.execPath, [...nodeFlags(), bootAgentPath, options.dir], {
      detached: true,
      stdio: ['ignore', consoleFd, consoleFd],
      cwd: join(options.dir, 'home'),
      env: options.env,
    });
    child.unref();
    return child;
  } finally {
    closeSync(consoleFd);
  }
}

const hasProcFs = existsSync('/proc/self/cmdline');

/**
 * Is `pid` still this instance's boot agent? Checking the command line (where /proc exists) guards against
 * a recycled pid after a restart; a zombie has an empty command line and counts as gone.
 */
export function isBootAgentAlive(pid: number, dir: string): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (!hasProcFs) return true;
  try {
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return commandLine.includes(bootAgentPath) && commandLine.includes(dir);
  } catch {
    return false;
  }
}

/**
 * The pid of this instance's boot agent found among the machine's processes, for a record whose pid was never
 * saved: a control plane killed between the spawn and saving the pid left an agent that no record names.
 * Null when none runs (or the machine has no /proc to look in).
 */
export function findBootAgent(dir: string): number | null {
  if (!hasProcFs) return null;
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (Number.isInteger(pid) && pid > 0 && isBootAgentAlive(pid, dir)) return pid;
  }
  return null;
}

/** Signal the instance's whole process group; false when nothing of it is left. */
export function signalInstance(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

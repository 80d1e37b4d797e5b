import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';

/** The program `pnpm agent` runs, with tsx's loader found from here (whatever the working directory). */
const agentMain = path.join(path.dirname(require.resolve('@overcast/datacenter-agent')), 'main.ts');
const tsxLoader = pathToFileURL(require.resolve('tsx')).href;

/** Where pnpm start keeps its datacenter: key, certificate, CA bundle, the agent's pid and log, its nodes. */
export const localDatacenterDir = (dataDir: string): string => path.join(dataDir, 'datacenters', 'local');
/** Where pnpm start writes the registry's agent address (`pnpm agent` reads it there too). */
export const agentAddressFile = (dataDir: string): string => path.join(dataDir, 'registry-agent-address');

const pidFile = (directory: string) => path.join(directory, 'agent.pid');

export interface LocalAgentLaunch {
  /** The datacenter's directory (localDatacenterDir). */
  directory: string;
  registryAddress: string;
  profiles: object[];
  /**
   * The environment it starts from: HEARTBEAT_INTERVAL_MS (the registry's: an agent slower than it is seen down)
   * and LOG_LEVEL pass through to the agent, which parses them as `pnpm agent` does.
   */
  env: NodeJS.ProcessEnv;
}

/** The pid agent.pid names while that process is still this directory's agent (never a recycled pid). */
export function runningLocalAgent(directory: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile(directory), 'utf8').trim());
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    const environment = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    return commandLine.includes(agentMain) && environment.includes(`DATACENTER_DIR=${directory}`) ? pid : null;
  } catch {
    return null; // no pid file, or the process is gone (a zombie's command line is empty)
  }
}

/**
 * Starts the datacenter's agent as its own process, detached so that it is stopped and started on its own (its
 * nodes, detached too, outlive it as a datacenter's machines outlive its agent), output appended to agent.log.
 */
export function startLocalAgent(launch: LocalAgentLaunch): number {
  const { directory } = launch;
  const log = openSync(path.join(directory, 'agent.log'), 'a', 0o600);
  try {
    const child = spawn(process.execPath, ['--import', tsxLoader, agentMain], {
      detached: true,
      stdio: ['ignore', log, log],
      env: {
        ...launch.env,
        DATACENTER_DIR: directory,
        DATACENTER_CERT_FILE: path.join(directory, 'cert.pem'),
        DATACENTER_KEY_FILE: path.join(directory, 'key.pem'),
        REGISTRY_CA_FILE: path.join(directory, 'ca.pem'),
        AGENT_DATA_DIR: path.join(directory, 'nodes'),
        REGISTRY_AGENT_ADDRESS: launch.registryAddress,
        DATACENTER_PROFILES: JSON.stringify(launch.profiles),
        // pnpm start's own nodes on 127.101.x.y; `pnpm agent`'s default is 127.102.
        NODE_ADDRESS_PREFIX: '127.101',
      },
    });
    child.unref();
    if (child.pid === undefined) throw new Error(`the datacenter agent did not start (see ${directory}/agent.log)`);
    writeFileSync(pidFile(directory), `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(log);
  }
}

/** SIGTERM to the running agent, SIGKILL if it has not exited after `timeoutMs`; false when none was running. */
export async function stopLocalAgent(directory: string, timeoutMs = 10_000): Promise<boolean> {
  const pid = runningLocalAgent(directory);
  if (pid !== null) {
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + timeoutMs;
    while (runningLocalAgent(directory) === pid) {
      if (Date.now() > deadline) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // exited meanwhile
        }
      }
      await sleep(50);
    }
  }
  rmSync(pidFile(directory), { force: true });
  return pid !== null;
}

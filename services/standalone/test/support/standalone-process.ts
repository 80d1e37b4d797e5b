import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** `pnpm start` as a child process of the test, so the test can SIGKILL it as a crash would. */
export interface StandaloneProcess {
  url: string;
  token: string;
  child: ChildProcess;
  /** SIGTERM, resolving with how long the process took to exit. */
  stop(): Promise<number>;
  kill(): Promise<void>;
}

const mainScript = path.join(__dirname, '..', '..', 'src', 'main.ts');

export async function startStandaloneProcess(env: NodeJS.ProcessEnv): Promise<StandaloneProcess> {
  // pnpm start saves its login for the CLI; a test's must never land in the real ~/.config/overcast.
  const configDir = env.OVERCAST_CONFIG_DIR ?? mkdtempSync(path.join(tmpdir(), 'overcast-cli-config-'));
  const child = spawn(process.execPath, ['--import', 'tsx', mainScript], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...env, OVERCAST_CONFIG_DIR: configDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const banner = await new Promise<{ url: string; token: string }>((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`pnpm start exited (${code}) before its banner: ${output}`));
    child.once('exit', onExit);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /export OVERCAST_URL=(\S+)/.exec(output)?.[1];
      const token = /export OVERCAST_TOKEN=(\S+)/.exec(output)?.[1];
      if (url && token) {
        child.off('exit', onExit);
        resolve({ url, token });
      }
    });
  });
  const exited = once(child, 'exit');
  return {
    ...banner,
    child,
    async stop() {
      const started = Date.now();
      child.kill('SIGTERM');
      await exited;
      return Date.now() - started;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** The local boot agents running now under `dataDir` (one process per instance, found in /proc). */
export function runningBootAgents(dataDir: string): { id: string; pid: number }[] {
  const instancesDir = `${path.join(dataDir, 'local', 'instances')}/`;
  const agents: { id: string; pid: number }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let commandLine: string[];
    try {
      commandLine = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (!commandLine.some((part) => part.endsWith('boot-agent.mts'))) continue;
    const dir = commandLine.find((part) => part.startsWith(instancesDir));
    if (dir) agents.push({ id: path.basename(dir), pid: Number(entry) });
  }
  return agents;
}

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClient } from '@overcast/sdk';

/**
 * The README's quick start, run as a newcomer would run it: its commands are read from the README itself (never
 * copied here), the start line through bash from the repository root against a fresh data directory, then every
 * line of "Using it" in order. A README edit that breaks a command fails this test.
 */
const repositoryRoot = path.resolve(__dirname, '..', '..', '..');

interface Readme {
  startLine: string;
  testLine: string;
  usingItLines: string[];
}

function shellBlocks(markdown: string): string[][] {
  const blocks = [...markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '');
  return blocks.map((block) => block.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#')));
}

async function readReadme(): Promise<Readme> {
  const markdown = await readFile(path.join(repositoryRoot, 'README.md'), 'utf8');
  const [quickStart = [], usingIt = []] = shellBlocks(markdown);
  const startLine = quickStart.find((line) => line.trim().endsWith('pnpm start'));
  const testLine = quickStart.find((line) => line.trim().endsWith('pnpm test'));
  if (!startLine || !testLine)
    throw new Error("the README's first sh block lacks a '… pnpm start' or a '… pnpm test' line");
  return { startLine, testLine, usingItLines: usingIt };
}

/** Fills the README's `<placeholders>`; a placeholder this test cannot fill fails it, naming the line. */
function fill(line: string, values: Record<string, string>): string {
  return line.replace(/<([^>]+)>/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined)
      throw new Error(`README line "${line}": no value for ${whole}; teach this test to fill it`);
    return value;
  });
}

interface Run {
  code: number | null;
  output: string;
}

function runLine(line: string, env: NodeJS.ProcessEnv): Promise<Run> {
  const child = spawn('bash', ['-c', line], { cwd: repositoryRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return once(child, 'exit').then(([code]) => ({ code: code as number | null, output }));
}

/** The start line in its own process group, resolving once the banner printed the URL and the token. */
function startOvercast(
  line: string,
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; url: string; token: string; output: string }> {
  const child = spawn('bash', ['-c', line], {
    cwd: repositoryRoot,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) =>
      reject(new Error(`"${line}" exited (${code}) before its banner:\n${output}`));
    child.once('exit', onExit);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /export OVERCAST_URL=(\S+)/.exec(output)?.[1];
      const token = /OVERCAST_TOKEN=(\S+)/.exec(output)?.[1];
      if (url && token) {
        child.off('exit', onExit);
        resolve({ child, url, token, output });
      }
    });
  });
}

/** Processes whose command line names a path under `dir` (what the local providers start there). */
function processesUnder(dir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`${dir}/`);
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

/**
 * App tasks pnpm start's local container platform started on its default addresses (127.101.x.y): they run detached
 * from the task's own directory, so only their environment says whose they are. Left running, they would hold the
 * next test's balancer address (a reuse-port group) and task addresses.
 */
function defaultPrefixAppTasks(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'utf8')
          .split('\0')
          .some((v) => v.startsWith('OVERCAST_TASK_IP=127.101.'));
      } catch {
        return false; // gone meanwhile, or not ours to read
      }
    })
    .map(Number);
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = once(child, 'exit');
  process.kill(-child.pid, 'SIGTERM');
  await exited;
}

describe("the README's quick start", () => {
  let dataDir: string;
  let configDir: string;
  let overcast: { child: ChildProcess; url: string; token: string; output: string } | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'overcast-readme-data-'));
    configDir = await mkdtemp(path.join(os.tmpdir(), 'overcast-readme-config-'));
  });

  afterAll(async () => {
    if (overcast) await stopGroup(overcast.child);
    // Local instances, datacenter nodes and app tasks outlive pnpm start, as VMs outlive their control plane; not
    // this test's.
    for (const pid of [...processesUnder(dataDir), ...defaultPrefixAppTasks()]) process.kill(pid, 'SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
    await rm(configDir, { recursive: true, force: true });
  });

  it('names the test command CI runs', async () => {
    const { testLine } = await readReadme();
    const ci = await readFile(path.join(repositoryRoot, '.ci', 'run'), 'utf8');
    expect(testLine).toMatch(/^source scripts\/use-node\.sh && pnpm install\b.*&& pnpm test$/);
    expect(ci).toMatch(/^pnpm test\b/m);
  });

  it('starts Overcast with the start line, then every "Using it" command succeeds', async () => {
    const { startLine, usingItLines } = await readReadme();
    expect(usingItLines.length).toBeGreaterThan(3);
    // A fresh data directory and CLI config, a free port; everything else is the newcomer's environment.
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      OVERCAST_DATA_DIR: dataDir,
      OVERCAST_CONFIG_DIR: configDir,
      PORT: '0',
    };
    delete env.LOG_LEVEL; // the tests' quiet default; a newcomer has none

    overcast = await startOvercast(startLine, env);
    const { url, token, output } = overcast;
    // Progress while the embedded parts start, then a banner that says how to stop and how to start afresh.
    for (const step of ['starting the embedded PostgreSQL', 'starting the instance broker', 'starting the gateway']) {
      expect(output).toContain(step);
    }
    expect(output).toContain('Stop: Ctrl-C');
    expect(output).toContain(`Start afresh: stop, then \`rm -rf ${dataDir}\``);
    // The login is saved for the CLI, readable by its owner only.
    const saved = (await readdir(configDir, { recursive: true, withFileTypes: true })).filter((entry) =>
      entry.isFile(),
    );
    expect(saved).toHaveLength(1);
    const savedPath = path.join(saved[0]!.parentPath, saved[0]!.name);
    expect((await stat(savedPath)).mode & 0o777).toBe(0o600);
    expect(await readFile(savedPath, 'utf8')).toContain(token);

    // `<id>` is an instance the README's own commands made: the first one its build booted.
    const client = createClient({ baseUrl: url, token });
    const values: Record<string, string> = { 'printed token': token };
    const exported = usingItLines.find((line) => line.startsWith('export OVERCAST_URL='));
    expect(exported).toBeDefined();
    const exportLine = fill(exported!, values).replace(/OVERCAST_URL=\S+/, `OVERCAST_URL=${url}`);

    for (const line of usingItLines) {
      if (line === exported) continue;
      if (line.includes('<id>') && values.id === undefined) {
        const { instances } = await client.instances.list({});
        expect(instances.length).toBeGreaterThan(0);
        values.id = instances[0]!.id;
      }
      const run = await runLine(`${exportLine}\n${fill(line, values)}`, env);
      if (run.code !== 0) throw new Error(`README command "${line}" exited ${run.code}:\n${run.output}`);
    }
  }, 300_000);
});

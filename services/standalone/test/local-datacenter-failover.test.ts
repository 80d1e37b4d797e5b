import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCli } from '@overcast/cli';
import { createClient, type Deployment } from '@overcast/sdk';
import { startStandaloneProcess, type StandaloneProcess } from './support/standalone-process';

/**
 * The walk on pnpm start, with real processes throughout: pnpm start (its local datacenter's agent a
 * process of its own), a second datacenter registered with the CLI and its agent started as `pnpm agent` with its
 * own certificate files, `overcast-admin datacenter stop|start` on the first. Heartbeats every 500 ms here so the
 * walk takes seconds; the failback waits 2 s of the first staying up.
 */
const repositoryRoot = path.resolve(__dirname, '..', '..', '..');
const exampleFile = path.join(repositoryRoot, 'examples', 'overcast.yml');
const timing = { HEARTBEAT_INTERVAL_MS: '500', FAILBACK_AFTER_MS: '2000', RECONCILE_INTERVAL_MS: '500' };

/** Processes whose command line names a path under `dir` (the nodes the local providers start there). */
function processesUnder(dir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(`${dir}/`);
      } catch {
        return false;
      }
    })
    .map(Number);
}

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(command, args, { cwd: repositoryRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return once(child, 'exit').then(([code]) => ({ code: code as number | null, output }));
}

describe("pnpm start's local datacenter, stopped and started on its own", () => {
  let dataDir: string;
  let overcast: StandaloneProcess | undefined;
  let secondAgent: ChildProcess | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'overcast-failover-'));
  });

  afterAll(async () => {
    if (secondAgent?.exitCode === null) {
      const exited = once(secondAgent, 'exit');
      secondAgent.kill('SIGTERM');
      await exited;
    }
    await overcast?.stop();
    // Nodes outlive their agents, as a datacenter's machines do; not this test's to leave behind.
    for (const pid of processesUnder(dataDir)) process.kill(pid, 'SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('moves the example deployment to a second datacenter when the first stops, and back when it returns', async () => {
    overcast = await startStandaloneProcess({ OVERCAST_DATA_DIR: dataDir, ...timing });
    const { url, token } = overcast;
    const env = { ...process.env, OVERCAST_URL: url, OVERCAST_TOKEN: token, OVERCAST_DATA_DIR: dataDir, ...timing };
    const overcastCli = async (...argv: string[]) => {
      let stdout = '';
      let stderr = '';
      const code = await runCli(argv, {
        stdout: (text) => (stdout += text),
        stderr: (text) => (stderr += text),
        env: { OVERCAST_URL: url, OVERCAST_TOKEN: token, OVERCAST_CONFIG_DIR: path.join(dataDir, 'cli') },
        homeDirectory: dataDir,
      });
      if (code !== 0) throw new Error(`overcast ${argv.join(' ')} exited ${code}: ${stderr}`);
      return stdout;
    };
    const admin = async (action: string) => {
      const result = await run(
        process.execPath,
        ['services/standalone/bin/overcast-admin.js', 'datacenter', action],
        env,
      );
      expect(result).toMatchObject({ code: 0 });
      return result.output;
    };
    const client = createClient({ baseUrl: url, token });

    const { id } = JSON.parse(await overcastCli('deployments', 'create', '-f', exampleFile, '--json')) as Deployment;
    const local = (await client.datacenters.list()).find((datacenter) => datacenter.name === 'local');
    expect(local).toBeDefined();
    const web = async () => (await client.deployments.get(id)).services[0];
    const until = async (what: string, done: (placement: Awaited<ReturnType<typeof web>>) => boolean) => {
      for (const deadline = Date.now() + 120_000; Date.now() < deadline; await sleep(200)) {
        if (done(await web())) return;
      }
      throw new Error(`${what}: still ${JSON.stringify(await web())}`);
    };
    await until('running on the local datacenter', (p) => p?.datacenter_id === local!.id && p.running === 2);

    // A second datacenter in the same region, dearer, its agent as `pnpm agent` with the files register wrote.
    const secondDir = path.join(dataDir, 'datacenters', 'second');
    const registered = JSON.parse(
      await overcastCli(
        ...['datacenters', 'register', '--name', 'second', '--region', 'local', '--endpoint', '127.0.0.1:1'],
        ...['--profile', 'name=small,cpu=2,memory=2GiB,lifetime=medium,price=0.9,capacity=8'],
        ...['--dir', secondDir, '--json'],
      ),
    ) as { id: string };
    secondAgent = spawn(process.execPath, ['--import', 'tsx', 'services/datacenter-agent/src/main.ts'], {
      cwd: repositoryRoot,
      env: { ...env, DATACENTER_DIR: secondDir, LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    });

    expect(await admin('stop')).toContain('stopped');
    await until('moved to the second datacenter', (p) => p?.datacenter_id === registered.id && p.running === 2);

    expect(await admin('start')).toContain('started');
    const running: number[] = [];
    await until('moved back to the local datacenter', (p) => {
      running.push(p?.running ?? 0);
      return p?.datacenter_id === local!.id && p.running === 2;
    });
    // Failback starts the new nodes before it stops the old ones: never fewer than desired while it moves.
    expect(Math.min(...running)).toBeGreaterThanOrEqual(2);

    const events = [];
    for await (const event of client.deployments.events(id, { follow: false })) events.push(event.type);
    expect(events).toEqual(expect.arrayContaining(['deploy.begin', 'deploy.complete', 'cluster.down']));
    await client.deployments.delete(id);
  }, 400_000);
});

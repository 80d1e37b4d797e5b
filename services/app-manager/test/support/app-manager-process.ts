import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { waitFor } from '@overcast/test-kit';
import type { AppManagerBundle } from './app-manager-bundle';

const serviceRoot = path.join(__dirname, '..', '..');

/**
 * The deployable's main (`src/main.ts`, environment only), as a child the test can SIGKILL: from the bundle
 * buildAppManagerBundle made of it when given one, else as operators run it, under tsx.
 */
export interface AppManagerProcess {
  child: ChildProcess;
  /** SIGKILL now: nothing of the process runs after this call returns (the socket of a call it made is cut). */
  kill(): void;
  exited: Promise<unknown>;
  output(): string;
}

/** Starts the app manager's main and resolves once its readiness probe answers 200 (database and bus up). */
export async function startAppManagerProcess(
  env: NodeJS.ProcessEnv,
  bundle?: AppManagerBundle,
): Promise<AppManagerProcess> {
  const [args, cache] = bundle
    ? [[bundle.entry], { NODE_COMPILE_CACHE: bundle.compileCache }]
    : [['--import', 'tsx', 'src/main.ts'], {}];
  const child = spawn(process.execPath, args, {
    cwd: serviceRoot,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env, ...cache, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = once(child, 'exit');
  try {
    // The ops server's url is logged at info. Under tsx, which compiles main.ts and its imports on each start, that
    // took 17–20 s at host load 15–19, and a 30 s wait once ran out at load 19 before any deploy had run.
    const url = await waitFor(
      'the app manager to listen',
      () => /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(output)?.[1],
      { timeoutMs: 90_000 },
    );
    await waitFor('the app manager to be ready', async () => (await fetch(`${url}/readyz`)).status === 200);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${String(error)}; its output: ${output}`, { cause: error });
  }
  return { child, kill: () => child.kill('SIGKILL'), exited, output: () => output };
}

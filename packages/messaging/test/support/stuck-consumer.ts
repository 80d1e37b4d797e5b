import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { waitFor } from '@overcast/test-kit';

export interface StuckConsumer {
  claimed: string[];
  /** SIGKILL, as `kill -9` would: no handler runs, nothing is released by the process itself. */
  kill(): Promise<void>;
}

export interface StuckConsumerOptions {
  url: string;
  schema: string;
  namespace: string;
  prefetch: number;
  leaseMs: number;
  stuck: 'hang' | 'spin';
}

/** Starts `stuck-consumer-process.ts` under tsx (as services run) and waits until its consumer runs. */
export async function startStuckConsumer(options: StuckConsumerOptions): Promise<StuckConsumer> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'stuck-consumer-process.ts')],
    {
      cwd: path.join(__dirname, '..', '..'),
      env: {
        ...process.env,
        BUS_URL: options.url,
        BUS_SCHEMA: options.schema,
        BUS_NAMESPACE: options.namespace,
        BUS_PREFETCH: String(options.prefetch),
        BUS_LEASE_MS: String(options.leaseMs),
        STUCK: options.stuck,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const claimed: string[] = [];
  let output = '';
  let ready = false;
  let exited = false;
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
    const lines = output.split('\n');
    output = lines.pop() ?? '';
    for (const line of lines) {
      if (line === 'ready') ready = true;
      else if (line.startsWith('claimed ')) claimed.push(line.slice('claimed '.length));
    }
  });
  let errors = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => void (errors += chunk));
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exit.then(() => (exited = true));

  const kill = async (): Promise<void> => {
    if (!exited) child.kill('SIGKILL');
    await exit;
  };
  try {
    await waitFor(
      'the consumer process to start',
      () => {
        if (exited) throw new Error(`the consumer process exited: ${errors}`);
        return ready;
      },
      { timeoutMs: 20_000 },
    );
  } catch (error) {
    await kill();
    throw error;
  }
  return { claimed, kill };
}

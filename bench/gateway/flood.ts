import { fork } from 'node:child_process';
import path from 'node:path';
import { runLoad, type LoadResult } from '../lib/http-load';
import { runPacedLoad } from '../lib/paced-load';
import type { FloodJob } from './flood-process';

export interface FloodOptions {
  /** The authenticated route, loaded exactly as in the measurement without a flood. */
  url: string;
  validHeaders: Record<string, string>;
  /** Id of a real token: the flood's tokens name it with wrong secrets, the costliest kind to refuse. */
  tokenId: number;
  /** Invalid-token requests per second, all from one client address. */
  rate: number;
  seconds: number;
  connections: number;
  /** The flood's client address: a fresh one starts with a full failure budget, as a new attacker would. */
  attacker: string;
  /** Valid requests per second; unset: as fast as the connections go (closed loop). */
  validRate?: number;
}

export interface FloodResult {
  valid: LoadResult;
  flood: LoadResult;
}

// Client addresses from the documentation ranges (RFC 5737): the legitimate client, and one per attacker.
export const clientAddress = '203.0.113.10';
export const attackerAddress = (index: number) => `198.51.100.${index}`;

/** Valid requests at a fixed, evenly spaced rate (open loop), or, without `validRate`, autocannon's closed loop. */
function validLoad(options: FloodOptions): Promise<LoadResult> {
  const load = { url: options.url, headers: options.validHeaders, connections: options.connections };
  if (options.validRate === undefined) return runLoad({ ...load, durationSeconds: options.seconds });
  return runPacedLoad({ ...load, rate: options.validRate, seconds: options.seconds });
}

/** The flood in a process of its own, started and ready: `run()` sets it going and resolves with what it measured. */
async function startFlood(job: FloodJob): Promise<{ run(): Promise<LoadResult> }> {
  const child = fork(path.join(__dirname, 'flood-process.ts'), [], {
    env: { ...process.env, BENCH_FLOOD_JOB: JSON.stringify(job) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<never>((_resolve, reject) =>
    child.once('exit', (code) => reject(new Error(`the flood process exited with code ${code} before reporting`))),
  );
  const next = <T>() =>
    Promise.race([new Promise<T>((resolve) => child.once('message', (message: T) => resolve(message))), exited]);
  await next<{ type: 'ready' }>();
  return {
    run() {
      const result = next<{ type: 'result'; result: LoadResult }>();
      child.send({ type: 'start' });
      return result.then((message) => message.result);
    },
  };
}

/**
 * The authenticated load and, at the same time from another process, evenly spaced requests with a fresh,
 * well-formed but wrong token each (never cached, so every one reaches the verification path).
 */
export async function measureUnderFlood(options: FloodOptions): Promise<FloodResult> {
  const flooder = await startFlood({
    url: options.url,
    tokenId: options.tokenId,
    attacker: options.attacker,
    rate: options.rate,
    seconds: options.seconds,
  });
  const [valid, flood] = await Promise.all([validLoad(options), flooder.run()]);
  return { valid, flood };
}

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import type { ServerUser } from './postgres-user';

export interface ServerProcess {
  port: number;
  /** Fast shutdown (SIGINT: disconnects clients, checkpoints), SIGKILL after `graceMs`. Idempotent. */
  stop(graceMs?: number): Promise<void>;
  onUnexpectedExit(listener: (code: number | null, lastOutput: string) => void): void;
}

interface StartServerOptions {
  postgres: string;
  dataDir: string;
  url: (port: number) => string;
  user: ServerUser;
  maxConnections: number;
  /** A fixed port, or undefined for a free one. */
  port?: number;
  readyTimeoutMs: number;
}

/** A free loopback port now; the server binding it later can still lose a race, which startServer retries. */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no loopback port');
  return address.port;
}

/** Keeps the server's last lines of output for error messages (its stderr must be drained either way). */
function tail(child: ChildProcess, lines = 20): () => string {
  const kept: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    kept.push(...chunk.split('\n').filter(Boolean));
    kept.splice(0, Math.max(0, kept.length - lines));
  });
  return () => kept.join('\n');
}

async function answers(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function startOnce(options: StartServerOptions, port: number): Promise<ServerProcess> {
  const child = spawn(
    options.postgres,
    [
      '-D',
      options.dataDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      `max_connections=${options.maxConnections}`,
      '-c',
      'log_min_messages=warning',
    ],
    { ...options.user, detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } },
  );
  const lastOutput = tail(child);
  let exited = child.exitCode !== null;
  const exit = once(child, 'exit').then(() => {
    exited = true;
  });
  const deadline = Date.now() + options.readyTimeoutMs;
  while (!(await answers(options.url(port)))) {
    if (exited) throw new Error(`postgres exited during start: ${lastOutput() || 'no output'}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `postgres did not accept connections within ${options.readyTimeoutMs} ms: ${lastOutput() || 'no output'}`,
      );
    }
    await sleep(25);
  }
  let stopping: Promise<void> | null = null;
  return {
    port,
    stop(graceMs = 10_000) {
      stopping ??= (async () => {
        if (exited) return;
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exit;
        clearTimeout(timer);
      })();
      return stopping;
    },
    onUnexpectedExit(listener) {
      child.once('exit', (code) => {
        if (stopping === null) listener(code, lastOutput());
      });
    },
  };
}

/** Starts postgres on `dataDir` and resolves once it answers a query; a lost port race is retried on another port. */
export async function startServer(options: StartServerOptions): Promise<ServerProcess> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnce(options, options.port ?? (await freePort()));
    } catch (error) {
      const portTaken = /could not bind|Address already in use/i.test((error as Error).message);
      if (!portTaken || options.port !== undefined || attempt >= 3) throw error;
    }
  }
}

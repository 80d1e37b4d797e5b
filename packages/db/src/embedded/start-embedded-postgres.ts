import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DatabaseOptionsError } from '../errors';
import { describeError, silentLogger, type DbLogger } from '../logger';
import { nonEmptyString, positiveInteger } from '../options';
import { lockDataDir } from './data-dir-lock';

export interface EmbeddedPostgresOptions {
  /** Where the data lives (the standalone runner uses `.overcast/pgdata`); created if missing, kept across restarts. */
  dataDir: string;
  /** Loopback port; 0 (default) picks a free one. */
  port?: number;
  /** Connections the server accepts at once, across every service using it (default 100). */
  maxConnections?: number;
  logger?: DbLogger;
}

export interface EmbeddedPostgres {
  /** postgres:// URL for `connectDatabase`, Prisma's adapter-pg, psql. */
  url: string;
  port: number;
  dataDir: string;
  maxConnections: number;
  /**
   * Pool size each service should use here (5). PGlite runs one query at a time, so a larger pool
   * buys nothing and uses up `maxConnections`; a pool of 1 would deadlock code that queries while
   * holding a transaction's client.
   */
  recommendedPoolSize: number;
  /** Closes connections and flushes the data to disk. Idempotent. */
  stop(): Promise<void>;
}

type WorkerMessage = { type: 'listening'; port: number } | { type: 'failed' | 'stopped'; error?: string };

function nextMessage(worker: Worker): Promise<WorkerMessage> {
  return new Promise((resolveMessage, reject) => {
    const onExit = (code: number) => reject(new Error(`the embedded Postgres thread exited (code ${code})`));
    worker.once('error', reject);
    worker.once('exit', onExit);
    worker.once('message', (message: WorkerMessage) => {
      worker.off('error', reject);
      worker.off('exit', onExit);
      resolveMessage(message);
    });
  });
}

/**
 * Postgres with nothing installed: PGlite (Postgres compiled to WebAssembly) served on 127.0.0.1 by
 * pglite-socket, on a thread of its own, so services use the same pg / Prisma code as against a real
 * server. All connections share PGlite's single session: see README for what that changes.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = resolve(nonEmptyString('dataDir', options.dataDir));
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new DatabaseOptionsError('port', `must be an integer from 0 to 65535, got ${String(options.port)}`);
  }
  const maxConnections = positiveInteger('maxConnections', options.maxConnections, 100);
  const logger = options.logger ?? silentLogger;
  await mkdir(dataDir, { recursive: true });
  const unlock = await lockDataDir(dataDir);
  const worker = new Worker(join(__dirname, 'pglite-server-worker.cjs'), { workerData: { dataDir, port, maxConnections } });
  let started: WorkerMessage;
  try {
    started = await nextMessage(worker);
    if (started.type !== 'listening') throw new Error(started.error ?? 'it did not start');
  } catch (error) {
    await worker.terminate();
    await unlock();
    throw new Error(`could not start embedded Postgres on ${dataDir}: ${(error as Error).message}`, { cause: error });
  }
  let stopping: Promise<void> | null = null;
  const onUnexpectedExit = (code: number) => {
    logger.error({ dataDir, code }, 'the embedded Postgres thread exited; its URL no longer answers');
  };
  worker.on('exit', onUnexpectedExit);
  worker.on('error', (error) => logger.error({ dataDir, ...describeError(error) }, 'embedded Postgres failed'));
  return {
    url: `postgres://postgres@127.0.0.1:${started.port}/postgres?sslmode=disable`,
    port: started.port,
    dataDir,
    maxConnections,
    recommendedPoolSize: 5,
    stop() {
      stopping ??= (async () => {
        worker.off('exit', onUnexpectedExit);
        const stopped = nextMessage(worker).catch((error: unknown) => ({ type: 'stopped' as const, error: String(error) }));
        worker.postMessage('stop');
        const outcome = await stopped;
        if (outcome.type === 'stopped' && outcome.error) logger.warn({ dataDir, error: outcome.error }, 'embedded Postgres stopped uncleanly');
        await worker.terminate();
        await unlock();
      })();
      return stopping;
    },
  };
}

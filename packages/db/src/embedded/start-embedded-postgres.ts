import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { DatabaseOptionsError } from '../errors';
import { nonEmptyString, positiveInteger } from '../options';
import { lockDataDir } from './data-dir-lock';

export interface EmbeddedPostgresOptions {
  /** Where the data lives (the standalone runner uses `.overcast/pgdata`); created if missing, kept across restarts. */
  dataDir: string;
  /** Loopback port; 0 (default) picks a free one. */
  port?: number;
  /** Connections the server accepts at once, across every service using it (default 100). */
  maxConnections?: number;
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

/**
 * Postgres with nothing installed: PGlite (Postgres compiled to WebAssembly) served on 127.0.0.1 by
 * pglite-socket, so services use the same pg / Prisma code as against a real server. All
 * connections share PGlite's single session: see README for what that changes.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = resolve(nonEmptyString('dataDir', options.dataDir));
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new DatabaseOptionsError('port', `must be an integer from 0 to 65535, got ${String(options.port)}`);
  }
  const maxConnections = positiveInteger('maxConnections', options.maxConnections, 100);
  await mkdir(dataDir, { recursive: true });
  const unlock = await lockDataDir(dataDir);
  let db: PGlite | null = null;
  let server: PGLiteSocketServer;
  try {
    db = await PGlite.create(dataDir);
    // pglite-socket accepts ONE connection unless told otherwise; extra ones are refused outright.
    server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections });
    await server.start();
  } catch (error) {
    await db?.close().catch(() => undefined);
    await unlock();
    throw new Error(`could not start embedded Postgres on ${dataDir}: ${(error as Error).message}`, { cause: error });
  }
  const boundPort = Number(server.getServerConn().split(':').pop());
  const [openDb, openServer] = [db, server];
  let stopping: Promise<void> | null = null;
  return {
    url: `postgres://postgres@127.0.0.1:${boundPort}/postgres?sslmode=disable`,
    port: boundPort,
    dataDir,
    maxConnections,
    recommendedPoolSize: 5,
    stop() {
      stopping ??= (async () => {
        await openServer.stop();
        // The server detaches its connections without awaiting them; let them roll back first.
        await new Promise((resolveTick) => setTimeout(resolveTick, 20));
        await openDb.close();
        await unlock();
      })();
      return stopping;
    },
  };
}

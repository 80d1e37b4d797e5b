import { Pool } from 'pg';
import type { ClientConfig } from 'pg';
import { createNotificationHub, type NotificationHandler, type Unlisten } from './database-notifications';
import { parseDatabaseUrl } from './database-url';
import { DatabaseOptionsError } from './errors';
import { assertSchemaName } from './identifiers';
import { silentLogger, type DbLogger } from './logger';
import { positiveInteger } from './options';

export interface ConnectDatabaseOptions {
  /** postgres:// URL of the real Postgres or of the embedded server. A Prisma-style `?schema=` is accepted. */
  url: string;
  /** The service's own schema; created if missing. */
  schema: string;
  /** Pool size (default 10). Against the embedded server see `EmbeddedPostgres.maxConnections`. */
  maxConnections?: number;
  /** Shown in pg_stat_activity (default `overcast:<schema>`). */
  applicationName?: string;
  logger?: DbLogger;
}

export interface Database {
  readonly url: string;
  readonly schema: string;
  /**
   * Connections start with `search_path` = the service's schema. Code in this package still names
   * `"schema"."table"` explicitly (and so does Prisma given `createPrismaAdapter`): a query never depends
   * on which pool its connection came from.
   */
  readonly pool: Pool;
  /** Subscribe to NOTIFY on `channel`; resolves once LISTEN is in place. */
  listen(channel: string, handler: NotificationHandler): Promise<Unlisten>;
  /** Idempotent: stops listening and ends the pool (waits for checked-out clients to be released). */
  close(): Promise<void>;
}

const alreadyExistsCodes = new Set(['23505', '42P06']);

/** Connects, checks the server answers, and creates the schema when missing. */
export async function connectDatabase(options: ConnectDatabaseOptions): Promise<Database> {
  if (typeof options !== 'object' || options === null) {
    throw new DatabaseOptionsError('options', 'connectDatabase needs { url, schema }');
  }
  const { connectionString, schemaParameter, redacted } = parseDatabaseUrl(options.url);
  const schema = assertSchemaName(options.schema);
  if (schemaParameter !== null && schemaParameter !== schema) {
    throw new DatabaseOptionsError('url', `its ?schema=${schemaParameter} disagrees with schema "${schema}"`);
  }
  const logger = options.logger ?? silentLogger;
  const clientConfig: ClientConfig = {
    connectionString,
    application_name: options.applicationName ?? `overcast:${schema}`,
    options: `-c search_path=${schema}`,
    connectionTimeoutMillis: 10_000,
  };
  const pool = new Pool({ ...clientConfig, max: positiveInteger('maxConnections', options.maxConnections, 10) });
  const notifications = createNotificationHub(clientConfig, logger);
  // An idle client's error (server restart, terminated backend) is emitted on the pool; unhandled it kills the process.
  pool.on('error', (error) => logger.warn({ err: error }, 'idle database connection failed'));

  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } catch (error) {
    // Two replicas creating the schema at once: the loser sees a duplicate error, which is success.
    if (!alreadyExistsCodes.has((error as { code?: string }).code ?? '')) {
      await pool.end().catch(() => undefined);
      throw new Error(`could not open database ${redacted} (schema "${schema}"): ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  let closing: Promise<void> | null = null;
  return {
    url: options.url,
    schema,
    pool,
    listen: notifications.listen,
    close() {
      closing ??= notifications.close().then(() => pool.end());
      return closing;
    },
  };
}

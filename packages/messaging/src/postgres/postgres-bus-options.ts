import type { ClientConfig } from 'pg';
import { assertPositiveInteger } from '../bus-options';
import type { BusOptions } from '../bus-options';
import { resolveBusSettings } from '../core/bus-settings';
import { assertSchemaName, busNames } from './bus-names';

export interface PostgresBusOptions extends BusOptions {
  /** postgres://user:password@host:port/database */
  url: string;
  /** Schema of the bus's tables (default 'overcast_bus'); created at start when missing. */
  schema?: string;
  /** Connections per pool (default 4): one pool for publishes, one for claims, settles and RPC; plus the listener's one. */
  maxConnections?: number;
  /** How long a claimed message is kept from other consumers (30000 ms); renewed every third of it while its handler runs. */
  leaseMs?: number;
  /** Each consumer claims at least this often when no notification woke it (1000 ms). */
  pollIntervalMs?: number;
  /** start() fails, and a publish gives up, when no connection is made within this time (10000 ms). */
  connectTimeoutMs?: number;
}

function assertPostgresUrl(url: unknown): void {
  const protocol = typeof url === 'string' && URL.canParse(url) ? new URL(url).protocol : undefined;
  if (protocol !== 'postgres:' && protocol !== 'postgresql:')
    throw new TypeError('url must be a postgres:// or postgresql:// URL');
}

/** Every option checked and defaulted once, at construction: a bad one throws naming the field. */
export function resolvePostgresBusOptions(options: PostgresBusOptions) {
  assertPostgresUrl(options.url);
  const settings = resolveBusSettings(options);
  const { namespace } = settings;
  const connection: ClientConfig = {
    connectionString: options.url,
    application_name: `overcast-bus ${namespace}`.slice(0, 63),
    keepAlive: true,
    connectionTimeoutMillis: assertPositiveInteger('connectTimeoutMs', options.connectTimeoutMs ?? 10_000),
  };
  return {
    settings,
    names: busNames(assertSchemaName(options.schema ?? 'overcast_bus'), namespace),
    leaseMs: assertPositiveInteger('leaseMs', options.leaseMs ?? 30_000),
    pollIntervalMs: assertPositiveInteger('pollIntervalMs', options.pollIntervalMs ?? 1000),
    connection,
    maxConnections: assertPositiveInteger('maxConnections', options.maxConnections ?? 4),
  };
}

import { randomBytes } from 'node:crypto';

/** Lower-case so it needs no case folding; short so the channel names built from it stay under Postgres's 63 bytes. */
const schemaPattern = /^[a-z_][a-z0-9_]{0,39}$/;

export function assertSchemaName(value: unknown): string {
  if (typeof value !== 'string' || !schemaPattern.test(value)) {
    throw new TypeError(
      `schema must be 1-40 characters of a-z, 0-9 or '_', not starting with a digit (got ${JSON.stringify(value)})`,
    );
  }
  return value;
}

/** First key of the two-key advisory lock each bus holds while alive ('ovbo'); the second is its lease owner id. */
export const ownerLockClass = 0x6f76626f;

export type ExchangeKind = 'command' | 'event' | 'rpc';

/**
 * Where a bus's rows live and how its notifications are named. Queue and exchange names carry the namespace, as
 * RabbitMQ's do, so several namespaces (tests, or two deployments) share one schema without seeing each other.
 */
export interface BusNames {
  schema: string;
  /** `"schema".table`, safe to splice into SQL: the schema matched `schemaPattern`. */
  table(name: 'bindings' | 'messages' | 'dead_letters' | 'requests' | 'replies'): string;
  exchange(kind: ExchangeKind): string;
  workQueue(queue: string): string;
  rpcQueue(service: string): string;
  /** Every bus on the schema listens here; the payload names the queue that has new rows. */
  wakeChannel: string;
  /** This bus's own channel: replies to its calls. */
  replyChannel: string;
}

export function busNames(schema: string, namespace: string): BusNames {
  const exchangeNames = { command: `${namespace}.commands`, event: `${namespace}.events`, rpc: `${namespace}.rpc` };
  return {
    schema,
    table: (name) => `"${schema}".${name}`,
    exchange: (kind) => exchangeNames[kind],
    workQueue: (queue) => `${namespace}.${queue}`,
    rpcQueue: (service) => `${namespace}.rpc.${service}`,
    wakeChannel: `${schema}_wake`,
    replyChannel: `${schema}_reply_${randomBytes(8).toString('hex')}`,
  };
}

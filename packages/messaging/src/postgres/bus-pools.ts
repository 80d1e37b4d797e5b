import { Pool } from 'pg';
import type { ClientConfig } from 'pg';
import type { BusLogger } from '../bus-options';

/**
 * Two pools, because a commit's durability is a session setting. `durable` commits wait for the WAL flush: a publish
 * resolves only then (its "confirm"). `asyncCommit` sessions run with synchronous_commit off, for claims, settles
 * and RPC rows: a Postgres crash may forget the last few of those, which only means a message is delivered again
 * (at least once, as a lost ack means on RabbitMQ); a process crash forgets nothing, so the fsync they skip buys no safety.
 */
export interface BusPools {
  durable: Pool;
  asyncCommit: Pool;
  end(): Promise<void>;
}

export function createBusPools(connection: ClientConfig, maxConnections: number, logger: BusLogger): BusPools {
  const durable = new Pool({ ...connection, max: maxConnections });
  const asyncCommit = new Pool({ ...connection, max: maxConnections, options: '-c synchronous_commit=off' });
  for (const pool of [durable, asyncCommit]) {
    pool.on('error', (error) => logger.debug({ err: error }, 'an idle bus connection failed; the pool replaces it'));
  }
  return {
    durable,
    asyncCommit,
    end: async () => {
      await Promise.all([durable.end(), asyncCommit.end()]);
    },
  };
}

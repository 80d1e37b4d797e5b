import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Bus } from '@overcast/messaging';
import { backoffDelayMs, type BackoffPolicy } from '@overcast/pacing';
import type { Database } from '../connect-database';
import type { Unlisten } from '../database-notifications';
import { silentLogger, type DbLogger } from '../logger';
import { positiveInteger } from '../options';
import { assertPlatformTables } from '../platform-check';
import { createWakeableDelay } from '../wakeable-delay';
import { publishBatch } from './publish-batch';
import { claimOutboxRows } from './outbox-store';

export interface OutboxRelayOptions {
  database: Database;
  /** Only `publishEnvelope` is used: it must resolve once the broker confirmed. */
  bus: Pick<Bus, 'publishEnvelope'>;
  logger?: DbLogger;
  /** Rows claimed and published per round trip (default 100). */
  batchSize?: number;
  /** Fallback poll when no NOTIFY arrives (default 1000 ms); NOTIFY normally wakes the relay at once. */
  pollIntervalMs?: number;
  /** How long a claim keeps other relays off a row; a crashed relay's rows return after it (default 30 s). */
  claimTimeoutMs?: number;
  /** A publish without confirm for this long counts as failed; keep it well under claimTimeoutMs (default 10 s). */
  publishTimeoutMs?: number;
  /** Backoff after failures (jittered): first delay (default 500 ms), doubling up to retryMaxDelayMs (default 30 s). */
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
}

export interface OutboxRelay {
  start(): Promise<void>;
  /** Finishes the batch in flight (bounded by publishTimeoutMs), then stops; no claims are left behind. */
  stop(): Promise<void>;
}

/**
 * Publishes outbox rows to the bus, at least once and in insertion order within a batch. Rows are
 * deleted only after the broker confirmed them; any number of relays (replicas) may run on one table.
 */
export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { database, bus } = options;
  const logger = options.logger ?? silentLogger;
  const batchSize = positiveInteger('batchSize', options.batchSize, 100);
  const pollIntervalMs = positiveInteger('pollIntervalMs', options.pollIntervalMs, 1000);
  const claimTimeoutMs = positiveInteger('claimTimeoutMs', options.claimTimeoutMs, 30_000);
  const publishTimeoutMs = positiveInteger('publishTimeoutMs', options.publishTimeoutMs, 10_000);
  const retryDelay: BackoffPolicy = {
    baseDelayMs: positiveInteger('retryBaseDelayMs', options.retryBaseDelayMs, 500),
    maxDelayMs: positiveInteger('retryMaxDelayMs', options.retryMaxDelayMs, 30_000),
  };
  const relayId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const delay = createWakeableDelay();
  let running = false;
  let loop: Promise<void> | null = null;
  let unlisten: Unlisten | null = null;
  let consecutiveFailures = 0;

  /** One round; resolves to how long to wait before the next (0 = go again now). */
  async function relayOnce(): Promise<number> {
    try {
      const rows = await claimOutboxRows(database, relayId, batchSize, claimTimeoutMs);
      if (rows.length === 0) {
        consecutiveFailures = 0;
        return pollIntervalMs;
      }
      const outcome = await publishBatch({ database, bus, rows, publishTimeoutMs, retryDelay, logger });
      consecutiveFailures = outcome.published === 0 ? consecutiveFailures + 1 : 0;
      if (consecutiveFailures > 0) return backoffDelayMs(retryDelay, consecutiveFailures);
      return rows.length === batchSize ? 0 : pollIntervalMs;
    } catch (error) {
      consecutiveFailures += 1;
      const waitMs = backoffDelayMs(retryDelay, consecutiveFailures);
      logger.error({ err: error, retryInMs: waitMs }, 'outbox relay round failed; rows stay in the outbox');
      return waitMs;
    }
  }

  async function run(): Promise<void> {
    while (running) {
      const waitMs = await relayOnce();
      if (running && waitMs > 0) await delay.wait(waitMs);
    }
  }

  return {
    async start() {
      if (running) return;
      await assertPlatformTables(database, 'outbox relay');
      running = true;
      try {
        // While failures back off, a NOTIFY must not cut the backoff short: only wake when healthy.
        unlisten = await database.listen(`outbox_${database.schema}`, () => {
          if (consecutiveFailures === 0) delay.wake();
        });
      } catch (error) {
        logger.warn({ err: error }, 'outbox relay cannot LISTEN; falling back to polling');
      }
      loop = run();
      logger.info({ relayId, schema: database.schema }, 'outbox relay started');
    },
    async stop() {
      if (!running) return;
      running = false;
      delay.wake();
      await loop;
      await unlisten?.().catch(() => undefined);
      unlisten = null;
      logger.info({ relayId }, 'outbox relay stopped');
    },
  };
}

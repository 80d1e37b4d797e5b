import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Database } from '../connect-database';
import { DatabaseOptionsError } from '../errors';
import { silentLogger, type DbLogger } from '../logger';
import { nonEmptyString, positiveInteger } from '../options';
import { assertPlatformTables } from '../platform-check';
import { createWakeableDelay } from '../wakeable-delay';
import { acquireOrRenewLease, recordJobFinished, releaseLease } from './job-lease-store';

export interface JobContext {
  /** Aborted when this replica stops or loses the lease mid-run: stop promptly, another replica takes over. */
  signal: AbortSignal;
}

export interface ExclusiveJobOptions {
  database: Database;
  /** Unique per job within the schema, e.g. `refresh-instances`. */
  name: string;
  /** Pause between the end of one run and the start of the next, across replicas. */
  intervalMs: number;
  run: (context: JobContext) => Promise<void>;
  logger?: DbLogger;
  /**
   * How long the holder's lease lasts without renewal (default 30 s); renewed every third of it.
   * A graceful stop hands over within leaseMs/3; a crashed holder is replaced within 4/3·leaseMs. A holder whose
   * renewal has not come back within 2/3·leaseMs stops its run, before the lease can lapse under it.
   */
  leaseMs?: number;
}

export interface ExclusiveJob {
  start(): Promise<void>;
  /** Aborts the signal of a run in progress, waits for it, then hands the lease over. */
  stop(): Promise<void>;
  isLeader(): boolean;
}

/**
 * A periodic job that exactly one replica runs at a time, arbitrated by a lease row in
 * `_overcast_job_leases` (see README: why a lease and not an advisory lock). The other replicas
 * stand by and take over when the holder stops or stops renewing.
 */
export function createExclusiveJob(options: ExclusiveJobOptions): ExclusiveJob {
  const { database } = options;
  const name = nonEmptyString('name', options.name);
  if (name.length > 200) throw new DatabaseOptionsError('name', 'must be at most 200 characters');
  if (typeof options.run !== 'function') throw new DatabaseOptionsError('run', 'must be a function');
  if (options.intervalMs === undefined) throw new DatabaseOptionsError('intervalMs', 'is required');
  const intervalMs = positiveInteger('intervalMs', options.intervalMs, 0);
  const leaseMs = positiveInteger('leaseMs', options.leaseMs, 30_000);
  const heartbeatMs = Math.max(1, Math.floor(leaseMs / 3));
  const logger = options.logger ?? silentLogger;
  const holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const delay = createWakeableDelay();
  let running = false;
  let loop: Promise<void> | null = null;
  let leader = false;
  let leaseValidUntil = 0;
  let nextRunAt = 0;
  let currentRun: AbortController | null = null;
  let heartbeatInFlight: Promise<void> | null = null;

  function loseLeadership(reason: string): void {
    if (!leader) return;
    leader = false;
    currentRun?.abort(new Error(reason));
    logger.warn({ job: name, holder, reason }, 'exclusive job lost its lease');
  }

  /**
   * Stand down while the lease still holds if the next heartbeat could come too late: a standby may take over
   * the moment it expires, and a renewal that was sent but has not come back proves nothing.
   */
  function leaseAtRisk(): boolean {
    return performance.now() + heartbeatMs >= leaseValidUntil;
  }

  async function renew(): Promise<void> {
    // Measured before the round trip, so our idea of the expiry is never later than the database's.
    const sentAt = performance.now();
    try {
      const lease = await acquireOrRenewLease(database, name, holder, leaseMs, intervalMs);
      if (!lease) return loseLeadership('another replica holds the lease');
      leaseValidUntil = sentAt + leaseMs;
      // A reply this late may describe a lease that has already run out.
      if (leaseAtRisk()) return loseLeadership('the lease renewal came back too late');
      if (leader) return;
      leader = true;
      nextRunAt = sentAt + lease.dueInMs;
      logger.info({ job: name, holder }, 'exclusive job took the lease');
    } catch (error) {
      logger.warn({ job: name, err: error }, 'exclusive job could not renew its lease');
      if (leaseAtRisk()) loseLeadership('could not renew the lease in time');
    }
  }

  function heartbeat(): Promise<void> {
    heartbeatInFlight ??= renew().finally(() => {
      heartbeatInFlight = null;
    });
    return heartbeatInFlight;
  }

  async function runOnce(): Promise<void> {
    const controller = new AbortController();
    currentRun = controller;
    // Keep the lease alive for runs longer than it; the signal tells the run when that failed, or when a
    // renewal is still out so long that the lease may lapse before it returns.
    const renewal = setInterval(() => {
      if (leaseAtRisk()) loseLeadership('the lease renewal has not come back in time');
      void heartbeat();
    }, heartbeatMs);
    try {
      await options.run({ signal: controller.signal });
    } catch (error) {
      logger.error({ job: name, err: error }, 'exclusive job run failed; next run on schedule');
    } finally {
      clearInterval(renewal);
      currentRun = null;
    }
    nextRunAt = performance.now() + intervalMs;
    if (leader) {
      await recordJobFinished(database, name, holder).catch((error: unknown) =>
        logger.warn({ job: name, err: error }, 'could not record the finished run'),
      );
    }
  }

  async function runLoop(): Promise<void> {
    while (running) {
      await heartbeat();
      if (!running) break;
      if (leader && performance.now() >= nextRunAt) {
        await runOnce();
        continue;
      }
      const untilDue = leader ? Math.max(0, nextRunAt - performance.now()) : heartbeatMs;
      await delay.wait(Math.max(1, Math.min(heartbeatMs, untilDue)));
    }
  }

  return {
    async start() {
      if (running) return;
      await assertPlatformTables(database, `exclusive job ${name}`);
      running = true;
      loop = runLoop();
    },
    async stop() {
      if (!running) return;
      running = false;
      currentRun?.abort(new Error('job stopping'));
      delay.wake();
      await loop;
      await heartbeatInFlight;
      if (leader) {
        leader = false;
        await releaseLease(database, name, holder).catch((error: unknown) =>
          logger.warn({ job: name, err: error }, 'could not release the lease; it expires by itself'),
        );
      }
    },
    isLeader: () => leader,
  };
}

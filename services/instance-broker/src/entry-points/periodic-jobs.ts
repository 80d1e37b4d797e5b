import { createExclusiveJob, pruneInbox, type Database, type ExclusiveJob } from '@overcast/db';
import type { DomainLogger } from '../domain/logger';
import type { BrokerStore, Clock } from '../domain/ports';
import type { ProviderDirectory } from '../domain/provider-directory';
import type { UseCases } from '../domain/use-cases';
import { createProviderBackoff } from './provider-backoff';

export interface PeriodicJobSettings {
  refreshIntervalMs: number;
  reaperIntervalMs: number;
  autoscalingSyncIntervalMs: number;
  idempotencyTtlMs: number;
  /** Inbox entries outlive any redelivery (retries, replays from the dead-letter queue) by far. */
  inboxRetentionMs: number;
  /** Lease of each job (tests shorten it so a stopped replica hands over quickly). */
  leaseMs?: number;
}

export interface PeriodicJobDeps {
  database: Database;
  store: BrokerStore;
  providers: ProviderDirectory;
  useCases: UseCases;
  clock: Clock;
  logger: DomainLogger;
  settings: PeriodicJobSettings;
}

const maxBackoffMs = 5 * 60_000;

/** Runs `work` for each provider that is due, isolating failures (one broken cloud never stops the others). */
function perProvider(
  deps: PeriodicJobDeps,
  job: string,
  intervalMs: number,
  work: (provider: string) => Promise<unknown>,
) {
  const backoff = createProviderBackoff(intervalMs, maxBackoffMs);
  return async ({ signal }: { signal: AbortSignal }) => {
    for (const provider of deps.providers.names()) {
      if (signal.aborted) return;
      if (!backoff.isDue(provider)) continue;
      try {
        await work(provider);
        backoff.succeeded(provider);
      } catch (error) {
        const delayMs = backoff.failed(provider);
        deps.logger.warn({ job, provider, delayMs, err: error }, 'provider failed; backing off');
      }
    }
  };
}

/**
 * Every group an autoscaling group build made, on every provider, synced one group at a time; a group whose
 * provider call fails backs off by itself (one deleted or throttled group never stops the others).
 */
function perAutoscalingGroup(deps: PeriodicJobDeps, intervalMs: number) {
  const backoff = createProviderBackoff(intervalMs, maxBackoffMs);
  const { autoscalingSync } = deps.useCases;
  return async ({ signal }: { signal: AbortSignal }) => {
    for (const provider of deps.providers.names()) {
      for (const build of await autoscalingSync.listGroups(provider)) {
        if (signal.aborted) return;
        if (!backoff.isDue(build.id)) continue;
        try {
          await autoscalingSync.syncGroup(build);
          backoff.succeeded(build.id);
        } catch (error) {
          const delayMs = backoff.failed(build.id);
          deps.logger.warn(
            { job: 'autoscaling-sync', group: build.name, delayMs, err: error },
            'group failed; backing off',
          );
        }
      }
    }
  };
}

/** Refresh, reaper and the autoscaling groups' sync, each run by exactly one replica at a time (a lease in the database). */
export function createPeriodicJobs(deps: PeriodicJobDeps): ExclusiveJob[] {
  const { database, settings, logger } = deps;
  const refresh = createExclusiveJob({
    database,
    logger,
    name: 'instance-broker.refresh',
    intervalMs: settings.refreshIntervalMs,
    leaseMs: settings.leaseMs,
    run: perProvider(deps, 'refresh', settings.refreshIntervalMs, deps.useCases.refreshProvider),
  });
  const reapProviders = perProvider(deps, 'reaper', settings.reaperIntervalMs, deps.useCases.reapProvider);
  const reaper = createExclusiveJob({
    database,
    logger,
    name: 'instance-broker.reaper',
    intervalMs: settings.reaperIntervalMs,
    leaseMs: settings.leaseMs,
    run: async (context) => {
      await reapProviders(context);
      // Housekeeping rides along: expired Idempotency-Keys and old inbox entries.
      const cutoff = new Date(deps.clock.now().getTime() - settings.idempotencyTtlMs);
      await deps.store.idempotencyKeys.deleteCreatedBefore(cutoff);
      await pruneInbox(database, { olderThanMs: settings.inboxRetentionMs });
    },
  });
  const autoscalingSync = createExclusiveJob({
    database,
    logger,
    name: 'instance-broker.autoscaling-sync',
    intervalMs: settings.autoscalingSyncIntervalMs,
    leaseMs: settings.leaseMs,
    run: perAutoscalingGroup(deps, settings.autoscalingSyncIntervalMs),
  });
  return [refresh, reaper, autoscalingSync];
}

import type { DomainLogger } from './logger';
import type { BrokerStore, Clock, InstanceChanges } from './ports';
import type { ProviderDirectory } from './provider-directory';
import { convergeInstance } from './converge-instance';
import { liveInstanceStates, type InstanceRecord } from './records';
import { announceStateChange } from './state-change';

export interface RefreshInstancesDeps {
  store: BrokerStore;
  providers: ProviderDirectory;
  clock: Clock;
  logger: DomainLogger;
  /** After this long a `creating` row its provider does not list is given up as errored. */
  creatingTimeoutMs: number;
}

interface Pending {
  row: InstanceRecord;
  changes: InstanceChanges;
}

/** Rows converged per transaction: big enough to save round trips, small enough to hold locks briefly. */
const batchSize = 50;

/**
 * The reconciler, for one provider at a time: reads the provider's Overcast instances and converges that
 * provider's rows to them. Scoped per provider: cloud-brain marked every `terminating` row missing from
 * one provider's list terminated, including other providers' instances.
 */
export function createRefreshInstances(deps: RefreshInstancesDeps) {
  const { store, logger } = deps;

  return async function refreshProvider(providerName: string): Promise<{ changed: number }> {
    const provider = deps.providers.find(providerName);
    if (!provider) return { changed: 0 };
    const listedAt = deps.clock.now();
    const creatingGiveUpBefore = new Date(listedAt.getTime() - deps.creatingTimeoutMs);
    const observed = new Map((await provider.listInstances()).map((instance) => [instance.id, instance]));
    const rows = await store.instances.listByProvider(providerName, liveInstanceStates);
    const pending: Pending[] = [];
    for (const row of rows) {
      const changes = convergeInstance(row, observed.get(row.id), listedAt, creatingGiveUpBefore);
      if (changes) pending.push({ row, changes });
    }
    let changed = 0;
    // A transaction per batch, not per row: BEGIN and COMMIT were two of every converged row's round trips.
    for (let start = 0; start < pending.length; start += batchSize) {
      const batch = pending.slice(start, start + batchSize);
      const updated = await store.transaction(async (tx) => {
        const results: (InstanceRecord | null)[] = [];
        for (const { row, changes } of batch) {
          // Conditional on the state we read: a worker that moved the row meanwhile wins.
          const next = await tx.instances.updateIfState(row.id, row.state, changes);
          if (next) await announceStateChange(tx.outbox, row.state, next);
          results.push(next);
        }
        return results;
      });
      batch.forEach(({ row }, index) => {
        const next = updated[index];
        if (!next) return;
        changed += 1;
        if (next.state !== row.state) {
          logger.info(
            { instanceId: row.id, provider: providerName, from: row.state, to: next.state },
            'refresh converged instance',
          );
        }
      });
    }
    return { changed };
  };
}

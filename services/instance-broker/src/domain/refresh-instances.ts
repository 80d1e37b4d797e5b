import type { DomainLogger } from './logger';
import type { BrokerStore, Clock } from './ports';
import type { ProviderDirectory } from './provider-directory';
import { convergeInstance } from './converge-instance';
import { liveInstanceStates } from './records';
import { announceStateChange } from './state-change';

export interface RefreshInstancesDeps {
  store: BrokerStore;
  providers: ProviderDirectory;
  clock: Clock;
  logger: DomainLogger;
  /** After this long a `creating` row its provider does not list is given up as errored. */
  creatingTimeoutMs: number;
}

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
    let changed = 0;
    for (const row of rows) {
      const changes = convergeInstance(row, observed.get(row.id), listedAt, creatingGiveUpBefore);
      if (!changes) continue;
      // One statement a row, conditional on the state we read: a worker that moved the row meanwhile wins.
      const next = await store.transition(row, changes, (outbox, updated) =>
        announceStateChange(outbox, row.state, updated),
      );
      if (!next || next === 'duplicate') continue;
      changed += 1;
      if (next.state !== row.state) {
        logger.info(
          { instanceId: row.id, provider: providerName, from: row.state, to: next.state },
          'refresh converged instance',
        );
      }
    }
    return { changed };
  };
}

import { OVERCAST_ID_TAG, type ProviderInstance } from '@overcast/providers';
import { isUuid } from './not-found';
import type { DomainLogger } from './logger';
import type { BrokerStore, Clock } from './ports';
import type { ProviderDirectory } from './provider-directory';
import type { InstanceRecord } from './records';

export interface ReapInstancesDeps {
  store: BrokerStore;
  providers: ProviderDirectory;
  clock: Clock;
  logger: DomainLogger;
  /** Age below which a provider instance is never reaped: its row may not be committed yet. */
  graceMs: number;
}

function keptAlive(row: InstanceRecord | undefined, providerName: string, staleBefore: Date): boolean {
  if (!row || row.provider !== providerName) return false;
  if (row.state === 'creating' || row.state === 'starting' || row.state === 'running') return true;
  // A termination stuck longer than the grace period is driven again.
  return row.state === 'terminating' && row.updatedAt >= staleBefore;
}

/**
 * Terminates, per provider, instances carrying the Overcast tag that no live row accounts for (a create
 * whose row errored or was lost, a termination that never went through). Untagged instances are never
 * considered, and nothing younger than the grace period is touched.
 */
export function createReapInstances(deps: ReapInstancesDeps) {
  return async function reapProvider(providerName: string): Promise<{ reaped: string[] }> {
    const provider = deps.providers.find(providerName);
    if (!provider) return { reaped: [] };
    const cutoff = new Date(deps.clock.now().getTime() - deps.graceMs);
    const candidates = (await provider.listInstances()).filter(
      (instance: ProviderInstance) =>
        instance.tags[OVERCAST_ID_TAG] !== undefined &&
        instance.state !== 'terminated' &&
        instance.state !== 'terminating' &&
        instance.createdAt < cutoff,
    );
    const rows = await deps.store.instances.findByIds(candidates.map((instance) => instance.id).filter(isUuid));
    const rowsById = new Map(rows.map((row) => [row.id, row]));
    const reaped: string[] = [];
    for (const instance of candidates) {
      if (keptAlive(rowsById.get(instance.id), providerName, cutoff)) continue;
      await provider.terminateInstance(instance.id);
      reaped.push(instance.id);
      deps.logger.warn(
        {
          instanceId: instance.id,
          upstreamId: instance.upstreamId,
          provider: providerName,
          row: rowsById.get(instance.id)?.state ?? null,
        },
        'reaped an Overcast instance without a live row',
      );
    }
    return { reaped };
  };
}

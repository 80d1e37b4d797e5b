import type { InstancePage, ListInstancesRequest } from '@overcast/contracts';
import { findInstancesByReference } from './instance-reference';
import { decodeInstanceCursor, encodeInstanceCursor } from './instance-cursor';
import type { BrokerStore } from './ports';
import { presentInstance } from './present';

/**
 * Newest first; filters are exact matches combined with AND. Without a `state` filter, terminated instances are left
 * out: pudding listed the instances that exist (its clients count and print every item), and cloud-brain had no
 * list. A `reference` answers what it names, on one page.
 */
export function createListInstances(deps: { store: BrokerStore }) {
  return async function listInstances(request: ListInstancesRequest): Promise<InstancePage> {
    if (request.reference !== undefined) {
      const named = await findInstancesByReference(deps.store.instances, request.tenantId, request.reference);
      return { instances: named.map(presentInstance), nextCursor: null };
    }
    const after = request.cursor === undefined ? null : decodeInstanceCursor(request.cursor);
    const { env, site, role, queue, provider, state } = request;
    // One row more than asked tells whether another page exists without a COUNT.
    const rows = await deps.store.instances.list(
      request.tenantId,
      { env, site, role, queue, provider, state, live: state === undefined },
      request.limit + 1,
      after,
    );
    const page = rows.slice(0, request.limit);
    const last = page.at(-1);
    return {
      instances: page.map(presentInstance),
      nextCursor: rows.length > request.limit && last ? encodeInstanceCursor(last) : null,
    };
  };
}

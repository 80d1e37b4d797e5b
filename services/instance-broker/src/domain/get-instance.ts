import type { GetInstanceRequest, Instance } from '@overcast/contracts';
import { isUuid, notFound } from './not-found';
import type { BrokerStore } from './ports';
import { presentInstance } from './present';

/** Terminated instances are answered too: the gateway turns them into 410 with this body. */
export function createGetInstance(deps: { store: BrokerStore }) {
  return async function getInstance(request: GetInstanceRequest): Promise<Instance> {
    const instance = isUuid(request.id) ? await deps.store.instances.findForTenant(request.tenantId, request.id) : null;
    if (!instance) throw notFound('instance');
    return presentInstance(instance);
  };
}

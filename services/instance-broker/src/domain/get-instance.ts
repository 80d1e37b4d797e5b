import type { GetInstanceRequest, Instance } from '@overcast/contracts';
import { findInstanceByReference } from './instance-reference';
import type { BrokerStore } from './ports';
import { presentInstance } from './present';

/** Terminated instances are answered too: the gateway turns them into 410 with this body. */
export function createGetInstance(deps: { store: BrokerStore }) {
  return async function getInstance(request: GetInstanceRequest): Promise<Instance> {
    return presentInstance(await findInstanceByReference(deps.store.instances, request.tenantId, request.id));
  };
}

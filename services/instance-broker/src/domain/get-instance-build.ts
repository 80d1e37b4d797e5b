import type { GetInstanceBuildRequest, InstanceBuild } from '@overcast/contracts';
import { isUuid, notFound } from './not-found';
import type { BrokerStore } from './ports';
import { presentInstanceBuild } from './present';

export function createGetInstanceBuild(deps: { store: BrokerStore }) {
  return async function getInstanceBuild(request: GetInstanceBuildRequest): Promise<InstanceBuild> {
    const build = isUuid(request.id) ? await deps.store.builds.findForTenant(request.tenantId, request.id) : null;
    if (!build) throw notFound('instance build');
    // A build's instances are inserted in the transaction that moves it out of `pending`: reading them
    // only after seeing it out of `pending` never shows a half-provisioned build.
    const instances = build.state === 'pending' ? [] : await deps.store.instances.listByBuild(build.id);
    return presentInstanceBuild(
      build,
      instances.map((instance) => instance.id),
    );
  };
}

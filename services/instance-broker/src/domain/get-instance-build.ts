import type { GetInstanceBuildRequest, InstanceBuild } from '@overcast/contracts';
import { isUuid, notFound } from './not-found';
import type { BrokerStore } from './ports';
import { presentInstanceBuild } from './present';

export function createGetInstanceBuild(deps: { store: BrokerStore }) {
  return async function getInstanceBuild(request: GetInstanceBuildRequest): Promise<InstanceBuild> {
    const build = isUuid(request.id) ? await deps.store.builds.findForTenant(request.tenantId, request.id) : null;
    if (!build) throw notFound('instance build');
    const instances = await deps.store.instances.listByBuild(build.id);
    return presentInstanceBuild(build, instances.map((instance) => instance.id));
  };
}

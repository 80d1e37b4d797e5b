import type { GetInitScriptRequest, InitScript } from '@overcast/contracts';
import { verifyBuildSecret } from './build-secret';
import { isUuid, notFound } from './not-found';
import type { BrokerStore, Clock } from './ports';
import type { InstanceBuildRecord } from './records';

function secretAccepted(build: InstanceBuildRecord, secret: string, now: Date): boolean {
  if (!build.secretSalt || !build.secretHash || !build.secretExpiresAt) return false;
  if (build.secretExpiresAt <= now) return false;
  return verifyBuildSecret(secret, build.secretSalt, build.secretHash);
}

/**
 * Token callers see their tenant's builds; a booting instance proves itself with the build's secret.
 * Unknown build, another tenant's, a wrong or expired secret, a script not rendered yet: all `not_found`.
 */
export function createGetInitScript(deps: { store: BrokerStore; clock: Clock }) {
  return async function getInitScript(request: GetInitScriptRequest): Promise<InitScript> {
    if (!isUuid(request.buildId)) throw notFound('instance build');
    const build =
      request.tenantId !== undefined
        ? await deps.store.builds.findForTenant(request.tenantId, request.buildId)
        : await deps.store.builds.findById(request.buildId);
    if (!build || build.initScript === null) throw notFound('instance build');
    if (request.tenantId === undefined && !secretAccepted(build, request.secret ?? '', deps.clock.now())) {
      throw notFound('instance build');
    }
    return { script: build.initScript };
  };
}

import { verifyBuildSecret } from './build-secret';
import { isUuid, notFound } from './not-found';
import type { BrokerStore, Clock } from './ports';
import type { InstanceBuildRecord } from './records';

/** Who calls on a build's behalf: a token's tenant, or a booting instance with the build's Basic `x:<secret>`. */
export interface BuildCaller {
  buildId: string;
  tenantId?: string | undefined;
  secret?: string | undefined;
}

/**
 * The build's own secret, unexpired, or expired while an autoscaling group made from one of the build's instances
 * exists: the group launches copies of that instance, with its user data (the secret in its `#include` URL), days
 * or months after the build, and they must still fetch their init script and call back. Only such a call reads
 * the groups: an unexpired secret (every heartbeat of a build's own instance) costs what it did.
 */
async function secretAccepted(store: BrokerStore, build: InstanceBuildRecord, secret: string, now: Date) {
  if (!build.secretSalt || !build.secretHash || !build.secretExpiresAt) return false;
  if (!verifyBuildSecret(secret, build.secretSalt, build.secretHash)) return false;
  return build.secretExpiresAt > now || store.instances.madeAutoscalingGroup(build.id);
}

/**
 * The build the caller may act on: its tenant's, or the one its secret opens (unexpired, or kept open by an
 * autoscaling group: `secretAccepted`). Unknown build, another tenant's, a wrong or expired secret: all
 * `not_found`, so nothing tells a prober which builds exist. `secret` is the verified secret when the caller
 * presented one.
 */
export async function findBuildForCaller(
  deps: { store: BrokerStore; clock: Clock },
  caller: BuildCaller,
): Promise<{ build: InstanceBuildRecord; secret: string | null }> {
  if (!isUuid(caller.buildId)) throw notFound('instance build');
  if (caller.tenantId !== undefined) {
    const build = await deps.store.builds.findForTenant(caller.tenantId, caller.buildId);
    if (!build) throw notFound('instance build');
    return { build, secret: null };
  }
  const build = await deps.store.builds.findById(caller.buildId);
  const secret = caller.secret ?? '';
  if (!build || !(await secretAccepted(deps.store, build, secret, deps.clock.now()))) throw notFound('instance build');
  return { build, secret };
}

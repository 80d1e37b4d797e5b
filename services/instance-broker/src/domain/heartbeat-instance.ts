import { AppError, type HeartbeatInstanceRequest, type HeartbeatInstanceResponse } from '@overcast/contracts';
import { findBuildForCaller } from './build-caller';
import { findInstancesByReference } from './instance-reference';
import type { BrokerStore, Clock } from './ports';
import { presentInstance } from './present';

const goingDown = new Set(['terminating', 'terminated']);

/**
 * pudding's instance heartbeats: the instance, and whether it is expected `up` or `down` (being terminated, by
 * Overcast or by its autoscaling group). Only the build's own
 * instances answer, so a build's secret reveals nothing else of its tenant.
 */
export function createHeartbeatInstance(deps: { store: BrokerStore; clock: Clock }) {
  return async function heartbeatInstance(request: HeartbeatInstanceRequest): Promise<HeartbeatInstanceResponse> {
    const { build } = await findBuildForCaller(deps, request);
    const found = await findInstancesByReference(deps.store.instances, build.tenantId, request.instanceId);
    const instance = found.find((candidate) => candidate.instanceBuildId === build.id);
    if (!instance) throw new AppError('not_found', 'unknown instance');
    const down =
      goingDown.has(instance.state) ||
      (instance.upstreamId !== null &&
        (await deps.store.autoscaling.isExpectedDown(build.tenantId, instance.upstreamId)));
    return { instance: presentInstance(instance), expectedState: down ? 'down' : 'up' };
  };
}

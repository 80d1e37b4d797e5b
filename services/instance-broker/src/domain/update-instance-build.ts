import {
  instanceBuildFinishedEvent,
  type MessageContext,
  type UpdateInstanceBuildRequest,
  type UpdateInstanceBuildResponse,
} from '@overcast/contracts';
import { isUuid, notFound } from './not-found';
import { buildFinishedText, queueNotification } from './notifications';
import type { BrokerStore } from './ports';

/**
 * pudding's PATCH: `state=finished` (sent by each booted instance) announces the instance and queues a
 * notification; any other state is accepted and does nothing. The per-build secret is kept until it
 * expires: the other instances of a multi-instance build may still have to fetch their script.
 */
export function createUpdateInstanceBuild(deps: { store: BrokerStore }) {
  return async function updateInstanceBuild(
    request: UpdateInstanceBuildRequest,
    context?: MessageContext,
  ): Promise<UpdateInstanceBuildResponse> {
    const build = isUuid(request.id) ? await deps.store.builds.findForTenant(request.tenantId, request.id) : null;
    if (!build) throw notFound('instance build');
    if (request.state !== 'finished') return { notified: false };
    await deps.store.transaction(async (tx) => {
      if (build.state !== 'finished' && build.state !== 'errored')
        await tx.builds.update(build.id, { state: 'finished' });
      const instanceId = request.instanceId ?? null;
      await tx.outbox.event(
        instanceBuildFinishedEvent,
        { id: build.id, tenantId: build.tenantId, instanceId },
        context,
      );
      const channel = request.slackChannel ?? build.slackChannel;
      await queueNotification(tx.outbox, channel, buildFinishedText(build, instanceId), context);
    });
    return { notified: true };
  };
}

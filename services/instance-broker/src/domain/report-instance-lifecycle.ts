import {
  completeLifecycleActionCommand,
  instanceLifecycleReportedEvent,
  type MessageContext,
  type ReportInstanceLifecycleRequest,
  type ReportInstanceLifecycleResponse,
} from '@overcast/contracts';
import { findBuildForCaller } from './build-caller';
import { instanceLifecycleText, queueNotification } from './notifications';
import type { BrokerStore, Clock } from './ports';

/**
 * pudding's instance-launches and instance-terminations: an instance of the build says it is in or out of
 * service. The transition is recorded as an event and pudding's notice queued, in one transaction; when an
 * autoscaling group holds the instance (its provider id) for that transition, completing the action is queued too.
 */
export function createReportInstanceLifecycle(deps: { store: BrokerStore; clock: Clock }) {
  return async function reportInstanceLifecycle(
    request: ReportInstanceLifecycleRequest,
    context?: MessageContext,
  ): Promise<ReportInstanceLifecycleResponse> {
    const { build } = await findBuildForCaller(deps, request);
    const { instanceId, transition } = request;
    await deps.store.transaction(async (tx) => {
      await tx.outbox.event(
        instanceLifecycleReportedEvent,
        { buildId: build.id, tenantId: build.tenantId, instanceId, transition },
        context,
      );
      // An autoscaling group paused this instance for the transition: let it go on (pudding's lifecycle transitions).
      if (await tx.autoscaling.findLifecycleAction(build.tenantId, transition, instanceId)) {
        const action = { tenantId: build.tenantId, transition, upstreamInstanceId: instanceId };
        await tx.outbox.command(completeLifecycleActionCommand, action, context);
      }
      const channel = request.slackChannel ?? build.slackChannel;
      await queueNotification(tx.outbox, channel, instanceLifecycleText(build, instanceId, transition), context);
    });
    return { instanceId };
  };
}

import {
  confirmSnsSubscriptionCommand,
  type MessageContext,
  type ReceiveSnsMessageRequest,
  type ReceiveSnsMessageResponse,
} from '@overcast/contracts';
import { adoptGroupInstance } from './adopt-group-instance';
import type { AutoscalingGroupBuildRecord } from './autoscaling-records';
import { parseLifecycleActionMessage } from './lifecycle-action-message';
import type { DomainLogger } from './logger';
import type { BrokerStore, Clock } from './ports';
import type { InstanceRecord } from './records';

/**
 * pudding's sns-messages worker, for a message whose signature the gateway verified. The topic ties it to the
 * builds that named it (their tenants); a topic no build named is not acted on. Each MessageId is acted on once.
 * A SubscriptionConfirmation is confirmed only when the operator enabled it (SNS_CONFIRMATION); a lifecycle
 * notification of one of the topic's groups stores the action until the instance's callback completes it, and a
 * terminating one makes the instance's heartbeats answer `down`. A launching one also adopts the instance as an
 * Overcast instance of the build's tenant (the groups' sync adopts it too, where SNS is not configured).
 */
export function createReceiveSnsMessage(deps: {
  store: BrokerStore;
  clock: Clock;
  logger: DomainLogger;
  snsConfirmation: boolean;
}) {
  const { store, logger } = deps;

  /** The instance the group was made from; null when the tenant already knows the launched one (nothing to adopt). */
  async function adoptionSource(
    build: AutoscalingGroupBuildRecord,
    upstreamId: string,
  ): Promise<InstanceRecord | null> {
    const known = await store.instances.findByProviderReference(build.tenantId, upstreamId, null);
    if (known.length > 0) return null;
    return store.instances.findById(build.instanceId);
  }

  return async function receiveSnsMessage(
    request: ReceiveSnsMessageRequest,
    context?: MessageContext,
  ): Promise<ReceiveSnsMessageResponse> {
    const builds = await store.autoscaling.findBuildsByTopic(request.topicArn);
    const [first] = builds;
    if (!first) {
      logger.info({ topicArn: request.topicArn, type: request.type }, 'SNS message of a topic no build named');
      return { outcome: 'unknown-topic' };
    }
    const { messageId, topicArn, type } = request;
    const action = type === 'Notification' ? parseLifecycleActionMessage(request.message) : null;
    // The group's name is the build's own: a notification of a group no build of this topic made is not ours.
    const build = action && builds.find((candidate) => candidate.name === action.groupName);
    // Read before the transaction: a read on another connection while it holds one could wait for a pool that
    // concurrent notifications' transactions have taken.
    const source =
      action && build && action.transition === 'launching'
        ? await adoptionSource(build, action.upstreamInstanceId)
        : null;
    return store.transaction(async (tx): Promise<ReceiveSnsMessageResponse> => {
      if (!(await tx.autoscaling.recordSnsMessage({ messageId, topicArn, type }))) return { outcome: 'duplicate' };
      if (type === 'SubscriptionConfirmation') {
        if (!deps.snsConfirmation || !request.token) return { outcome: 'ignored' };
        await tx.outbox.command(
          confirmSnsSubscriptionCommand,
          { buildId: first.id, topicArn, token: request.token },
          context,
        );
        return { outcome: 'confirming' };
      }
      if (!action || !build) return { outcome: 'ignored' };
      const { tenantId } = build;
      await tx.autoscaling.storeLifecycleAction({ ...action, tenantId, buildId: build.id });
      if (source) {
        // Held by its launching hook: starting, its address not known yet (the sync fills it in).
        const upstreamId = action.upstreamInstanceId;
        const facts = { upstreamId, state: 'starting' as const, ipAddress: null, image: null, instanceType: null };
        await adoptGroupInstance(tx, { build, source, facts, now: deps.clock.now(), context });
      }
      if (action.transition === 'terminating')
        await tx.autoscaling.markExpectedDown(tenantId, action.upstreamInstanceId);
      return { outcome: 'stored' };
    });
  };
}

import {
  confirmSnsSubscriptionCommand,
  type MessageContext,
  type ReceiveSnsMessageRequest,
  type ReceiveSnsMessageResponse,
} from '@overcast/contracts';
import { parseLifecycleActionMessage } from './lifecycle-action-message';
import type { DomainLogger } from './logger';
import type { BrokerStore } from './ports';

/**
 * pudding's sns-messages worker, for a message whose signature the gateway verified. The topic ties it to the
 * builds that named it (their tenants); a topic no build named is not acted on. Each MessageId is acted on once.
 * A SubscriptionConfirmation is confirmed only when the operator enabled it (SNS_CONFIRMATION); a lifecycle
 * notification of one of the topic's groups stores the action until the instance's callback completes it, and a
 * terminating one makes the instance's heartbeats answer `down`.
 */
export function createReceiveSnsMessage(deps: { store: BrokerStore; logger: DomainLogger; snsConfirmation: boolean }) {
  const { store, logger } = deps;
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
    return store.transaction(async (tx): Promise<ReceiveSnsMessageResponse> => {
      const { messageId, topicArn, type } = request;
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
      const action = type === 'Notification' ? parseLifecycleActionMessage(request.message) : null;
      // The group's name is the build's own: a notification of a group no build of this topic made is not ours.
      const build = action && builds.find((candidate) => candidate.name === action.groupName);
      if (!action || !build) return { outcome: 'ignored' };
      const { tenantId } = build;
      await tx.autoscaling.storeLifecycleAction({ ...action, tenantId, buildId: build.id });
      if (action.transition === 'terminating')
        await tx.autoscaling.markExpectedDown(tenantId, action.upstreamInstanceId);
      return { outcome: 'stored' };
    });
  };
}

import { z } from 'zod';
import { defineCommand, defineRpc } from '../catalog';
import { INSTANCE_BROKER_SERVICE } from './instance';
import { InstanceLifecycleTransition } from './events';

/**
 * An SNS message whose signature the gateway verified (pudding's `/sns-messages`, no auth: SNS sends none). Only the
 * fields the broker acts on; the topic ties it to the tenant whose autoscaling group build named that topic.
 */
export const ReceiveSnsMessageRequest = z.object({
  messageId: z.string().min(1).max(255),
  type: z.enum(['Notification', 'SubscriptionConfirmation', 'UnsubscribeConfirmation']),
  topicArn: z.string().min(1).max(1600),
  message: z.string().max(262_144),
  /** SubscriptionConfirmation's token, for ConfirmSubscription. */
  token: z.string().min(1).max(2048).optional(),
});
export type ReceiveSnsMessageRequest = z.infer<typeof ReceiveSnsMessageRequest>;

export const ReceiveSnsMessageResponse = z.object({
  /** What the broker did: the message named no build's topic, was seen before, or was acted on / ignored. */
  outcome: z.enum(['unknown-topic', 'duplicate', 'ignored', 'confirming', 'stored']),
});
export type ReceiveSnsMessageResponse = z.infer<typeof ReceiveSnsMessageResponse>;

export const receiveSnsMessageRpc = defineRpc({
  type: 'sns-message.receive',
  service: INSTANCE_BROKER_SERVICE,
  request: ReceiveSnsMessageRequest,
  response: ReceiveSnsMessageResponse,
});

export const ConfirmSnsSubscription = z.object({
  buildId: z.uuid(),
  topicArn: z.string().min(1).max(1600),
  token: z.string().min(1).max(2048),
});
export type ConfirmSnsSubscription = z.infer<typeof ConfirmSnsSubscription>;

/** ConfirmSubscription on the provider of the build that named the topic (operator-enabled, SNS_CONFIRMATION). */
export const confirmSnsSubscriptionCommand = defineCommand({
  type: 'sns-subscription.confirm',
  service: INSTANCE_BROKER_SERVICE,
  schema: ConfirmSnsSubscription,
});

export const CompleteLifecycleAction = z.object({
  tenantId: z.string().min(1),
  transition: InstanceLifecycleTransition,
  /** The provider's instance id the action was stored under (SNS's EC2InstanceId). */
  upstreamInstanceId: z.string().min(1).max(255),
});
export type CompleteLifecycleAction = z.infer<typeof CompleteLifecycleAction>;

/** pudding's instance-lifecycle-transitions: CompleteLifecycleAction CONTINUE for a stored action, then wipe it. */
export const completeLifecycleActionCommand = defineCommand({
  type: 'autoscaling.lifecycle-action.complete',
  service: INSTANCE_BROKER_SERVICE,
  schema: CompleteLifecycleAction,
});

import type { instanceBrokerCommands } from '@overcast/contracts';
import { contextFrom } from '@overcast/contracts';
import type { Delivery, MessageHandlers } from '@overcast/messaging';
import type { UseCases } from '../domain/use-cases';
import type { JobContext } from '../domain/worker-context';

/** The broker's work queue: each job handler gets the payload and what it needs to know of the delivery. */
export function createCommandHandlers(
  useCases: UseCases,
  maxAttempts: number,
): MessageHandlers<typeof instanceBrokerCommands> {
  const job = (delivery: Delivery): JobContext => ({
    messageId: delivery.envelope.id,
    attempt: delivery.attempt,
    maxAttempts,
    message: contextFrom(delivery.envelope),
  });
  return {
    'instance.provision': (payload, delivery) => useCases.provisionInstance(payload, job(delivery)),
    'instance.terminate-requested': (payload, delivery) => useCases.deprovisionInstance(payload, job(delivery)),
    'instance-build.provision': (payload, delivery) => useCases.provisionInstanceBuild(payload, job(delivery)),
    'notification.send': (payload) => useCases.sendNotification(payload),
    'autoscaling-group-build.provision': (payload, delivery) =>
      useCases.provisionAutoscalingGroupBuild(payload, job(delivery)),
    'sns-subscription.confirm': (payload, delivery) => useCases.confirmSnsSubscription(payload, job(delivery)),
    'autoscaling.lifecycle-action.complete': (payload, delivery) =>
      useCases.completeLifecycleAction(payload, job(delivery)),
  };
}

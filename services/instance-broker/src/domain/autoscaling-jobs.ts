import type { CompleteLifecycleAction, ConfirmSnsSubscription } from '@overcast/contracts';
import type { DomainLogger } from './logger';
import type { BrokerStore } from './ports';
import type { ProviderDirectory } from './provider-directory';
import { describeFailure } from './provider-failure';
import { isProviderError } from '@overcast/providers';
import { isLastAttempt, type JobContext } from './worker-context';

interface AutoscalingJobDeps {
  store: BrokerStore;
  providers: ProviderDirectory;
  logger: DomainLogger;
}

/** Throttling and outages are retried with the queue's backoff; anything else is logged and dropped, as pudding did. */
function retryUnlessPermanent(error: unknown, job: JobContext): void {
  if (isProviderError(error) && error.retryable && !isLastAttempt(job)) throw error;
}

/**
 * pudding's instance-lifecycle-transitions worker: the instance's callback reported the transition its group paused
 * it for; CompleteLifecycleAction CONTINUE lets the group go on, and the stored action is wiped. An action no
 * longer stored (completed by an earlier try) is nothing to do.
 */
export function createCompleteLifecycleAction(deps: AutoscalingJobDeps) {
  return async function completeLifecycleAction(payload: CompleteLifecycleAction, job: JobContext): Promise<void> {
    const { tenantId, transition, upstreamInstanceId } = payload;
    const action = await deps.store.autoscaling.findLifecycleAction(tenantId, transition, upstreamInstanceId);
    if (!action) return;
    const build = await deps.store.autoscaling.findBuild(action.buildId);
    const groups = build ? deps.providers.find(build.provider)?.autoscalingGroups : undefined;
    try {
      if (!groups)
        throw new Error(`the build ${action.buildId} of this action has no provider with autoscaling groups`);
      await groups.completeLifecycleAction(action);
    } catch (error) {
      retryUnlessPermanent(error, job);
      deps.logger.warn({ ...payload, reason: describeFailure(error) }, 'completing a lifecycle action failed');
    }
    await deps.store.autoscaling.deleteLifecycleAction(action);
  };
}

/** ConfirmSubscription for a topic an autoscaling group build named, on that build's provider. */
export function createConfirmSnsSubscription(deps: AutoscalingJobDeps) {
  return async function confirmSnsSubscription(payload: ConfirmSnsSubscription, job: JobContext): Promise<void> {
    const build = await deps.store.autoscaling.findBuild(payload.buildId);
    const groups = build ? deps.providers.find(build.provider)?.autoscalingGroups : undefined;
    try {
      if (!groups) throw new Error(`the build ${payload.buildId} has no provider with autoscaling groups`);
      await groups.confirmSubscription({ topicArn: payload.topicArn, token: payload.token });
    } catch (error) {
      retryUnlessPermanent(error, job);
      deps.logger.warn(
        { topicArn: payload.topicArn, reason: describeFailure(error) },
        'confirming an SNS subscription failed',
      );
    }
  };
}

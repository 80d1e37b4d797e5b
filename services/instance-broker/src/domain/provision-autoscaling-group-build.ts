import type { ProvisionAutoscalingGroupBuild, ScalingRule } from '@overcast/contracts';
import type { AutoscalingGroups } from '@overcast/providers';
import {
  autoscalingSteps,
  type AutoscalingGroupBuildChanges,
  type AutoscalingGroupBuildRecord,
  type AutoscalingStep,
} from './autoscaling-records';
import type { DomainLogger } from './logger';
import { queueNotification } from './notifications';
import type { BrokerStore } from './ports';
import type { ProviderDirectory } from './provider-directory';
import { describeFailure, isPermanentProviderFailure } from './provider-failure';
import { isLastAttempt, type JobContext } from './worker-context';

/** pudding's lifecycle hooks: the instance is held this long (seconds) for its callback, then let go (CONTINUE). */
const lifecycleHeartbeatTimeoutSeconds = 900;

type Step = (build: AutoscalingGroupBuildRecord, groups: AutoscalingGroups) => Promise<AutoscalingGroupBuildChanges>;

function alarm(build: AutoscalingGroupBuildRecord, suffix: string, rule: ScalingRule, actionArn: string | null) {
  if (!actionArn) throw new Error(`the ${suffix} alarm of ${build.name} has no policy to run`);
  return {
    name: `${build.name}-${suffix}`,
    metricName: rule.metricName,
    namespace: rule.metricNamespace,
    statistic: rule.metricStatistic,
    period: rule.metricPeriod,
    evaluationPeriods: rule.metricEvaluationPeriods,
    threshold: rule.metricThreshold,
    comparisonOperator: rule.metricComparisonOperator,
    actionArn,
  };
}

function hook(build: AutoscalingGroupBuildRecord, transition: 'launching' | 'terminating') {
  return {
    name: `${build.name}-lch-${transition}`,
    groupName: build.name,
    transition,
    topicArn: build.topicArn,
    roleArn: build.roleArn,
    heartbeatTimeoutSeconds: lifecycleHeartbeatTimeoutSeconds,
  };
}

/** Each step is idempotent at the provider (by name), so redoing the one a crash interrupted makes nothing twice. */
const steps: Record<AutoscalingStep, Step> = {
  async group(build, groups) {
    const { name, upstreamInstanceId, minSize, maxSize, desiredCapacity, role, queue, site, env } = build;
    await groups.createGroup({
      name,
      upstreamInstanceId,
      minSize,
      maxSize,
      desiredCapacity,
      ...(build.defaultCooldown === null ? {} : { defaultCooldown: build.defaultCooldown }),
      tags: { role, queue, site, env, Name: name, 'autoscaling-group-build-id': build.id },
    });
    return {};
  },
  async 'scale-out-policy'(build, groups) {
    const { cooldown, adjustment } = build.scaleOut;
    const arn = await groups.putScalingPolicy({
      name: `${build.name}-sop`,
      groupName: build.name,
      cooldown,
      adjustment,
    });
    return { scaleOutPolicyArn: arn };
  },
  async 'scale-in-policy'(build, groups) {
    const { cooldown, adjustment } = build.scaleIn;
    const arn = await groups.putScalingPolicy({
      name: `${build.name}-sip`,
      groupName: build.name,
      cooldown,
      adjustment,
    });
    return { scaleInPolicyArn: arn };
  },
  async 'scale-out-alarm'(build, groups) {
    await groups.putMetricAlarm(alarm(build, 'add-capacity', build.scaleOut, build.scaleOutPolicyArn));
    return {};
  },
  async 'scale-in-alarm'(build, groups) {
    await groups.putMetricAlarm(alarm(build, 'remove-capacity', build.scaleIn, build.scaleInPolicyArn));
    return {};
  },
  async 'launching-hook'(build, groups) {
    await groups.putLifecycleHook(hook(build, 'launching'));
    return {};
  },
  async 'terminating-hook'(build, groups) {
    await groups.putLifecycleHook(hook(build, 'terminating'));
    return {};
  },
};

/** The steps after `done` (all of them before the first). */
function remainingSteps(done: AutoscalingStep | null): AutoscalingStep[] {
  return autoscalingSteps.slice(done === null ? 0 : autoscalingSteps.indexOf(done) + 1);
}

/**
 * pudding's autoscaling-group-builds worker as a resumable job: the group, its two scaling policies, their two
 * CloudWatch alarms and the two lifecycle hooks, in that order. Each step done is recorded with what it produced
 * (a policy's ARN), so a job retried after a crash or a throttled call resumes at the step that did not finish.
 * A permanent refusal (or the last attempt) errors the build and says why on its Slack channel.
 */
export function createProvisionAutoscalingGroupBuild(deps: {
  store: BrokerStore;
  providers: ProviderDirectory;
  logger: DomainLogger;
}) {
  const { store } = deps;

  async function fail(build: AutoscalingGroupBuildRecord, reason: string, job: JobContext): Promise<void> {
    await store.transaction(async (tx) => {
      await tx.autoscaling.updateBuild(build.id, { state: 'errored', errorReason: reason });
      const text = `Failed to build autoscaling group *${build.name}* :scream_cat: _(${reason})_`;
      await queueNotification(tx.outbox, build.slackChannel, text, job.message);
    });
    deps.logger.warn({ buildId: build.id, reason }, 'autoscaling group build failed');
  }

  return async function provisionAutoscalingGroupBuild(
    payload: ProvisionAutoscalingGroupBuild,
    job: JobContext,
  ): Promise<void> {
    let build = await store.autoscaling.findBuild(payload.buildId);
    if (!build || build.state !== 'pending') return;
    const groups = deps.providers.find(build.provider)?.autoscalingGroups;
    if (!groups) return fail(build, `provider "${build.provider}" has no autoscaling groups`, job);
    for (const step of remainingSteps(build.step)) {
      try {
        const changes = await steps[step](build, groups);
        build = await store.autoscaling.updateBuild(build.id, { ...changes, step });
      } catch (error) {
        if (isPermanentProviderFailure(error) || isLastAttempt(job)) return fail(build, describeFailure(error), job);
        throw error;
      }
    }
    await store.transaction(async (tx) => {
      await tx.autoscaling.updateBuild(build.id, { state: 'finished' });
      const text = `Built autoscaling group *${build.name}* from instance \`${build.upstreamInstanceId}\` _(site=*${build.site}* env=*${build.env}* queue=*${build.queue}* role=*${build.role}*)_`;
      await queueNotification(tx.outbox, build.slackChannel, text, job.message);
    });
  };
}

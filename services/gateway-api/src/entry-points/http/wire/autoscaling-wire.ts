import type { AutoscalingGroupBuild, ScalingRule } from '@overcast/contracts';
import type { components } from '../generated/openapi';

type Schemas = components['schemas'];
type Input = Schemas['AutoscalingGroupBuildInput'];
type Direction = 'out' | 'in';

/** Pudding's flat `scale_<direction>_*` fields of one rule. */
function scaleFields<D extends Direction>(direction: D, rule: ScalingRule) {
  return {
    [`scale_${direction}_cooldown`]: rule.cooldown,
    [`scale_${direction}_adjustment`]: rule.adjustment,
    [`scale_${direction}_metric_name`]: rule.metricName,
    [`scale_${direction}_metric_namespace`]: rule.metricNamespace,
    [`scale_${direction}_metric_statistic`]: rule.metricStatistic,
    [`scale_${direction}_metric_period`]: rule.metricPeriod,
    [`scale_${direction}_metric_evaluation_periods`]: rule.metricEvaluationPeriods,
    [`scale_${direction}_metric_threshold`]: rule.metricThreshold,
    [`scale_${direction}_metric_comparison_operator`]: rule.metricComparisonOperator,
  };
}

/** The overrides a body gives for one direction; a field not given keeps pudding's default (the broker's). */
export function scalingOverridesOf(input: Input, direction: Direction): Partial<ScalingRule> {
  const field = <K extends keyof Input>(name: K) => input[name];
  const overrides: Partial<ScalingRule> =
    direction === 'out'
      ? {
          cooldown: field('scale_out_cooldown'),
          adjustment: field('scale_out_adjustment'),
          metricName: field('scale_out_metric_name') || undefined,
          metricNamespace: field('scale_out_metric_namespace') || undefined,
          metricStatistic: field('scale_out_metric_statistic'),
          metricPeriod: field('scale_out_metric_period'),
          metricEvaluationPeriods: field('scale_out_metric_evaluation_periods'),
          metricThreshold: field('scale_out_metric_threshold'),
          metricComparisonOperator: field('scale_out_metric_comparison_operator'),
        }
      : {
          cooldown: field('scale_in_cooldown'),
          adjustment: field('scale_in_adjustment'),
          metricName: field('scale_in_metric_name') || undefined,
          metricNamespace: field('scale_in_metric_namespace') || undefined,
          metricStatistic: field('scale_in_metric_statistic'),
          metricPeriod: field('scale_in_metric_period'),
          metricEvaluationPeriods: field('scale_in_metric_evaluation_periods'),
          metricThreshold: field('scale_in_metric_threshold'),
          metricComparisonOperator: field('scale_in_metric_comparison_operator'),
        };
  return Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
}

/** Pudding's AutoscalingGroupBuild fields (instance_id is the provider's id, as pudding kept it), and Overcast's. */
export function autoscalingGroupBuildToWire(build: AutoscalingGroupBuild): Schemas['AutoscalingGroupBuild'] {
  return {
    id: build.id,
    name: build.name,
    instance_id: build.upstreamInstanceId,
    overcast_instance_id: build.instanceId,
    provider: build.provider,
    role_arn: build.roleArn,
    topic_arn: build.topicArn,
    name_template: build.nameTemplate,
    queue: build.queue,
    env: build.env,
    site: build.site,
    role: build.role,
    min_size: build.minSize,
    max_size: build.maxSize,
    desired_capacity: build.desiredCapacity,
    default_cooldown: build.defaultCooldown,
    instance_type: build.instanceType,
    slack_channel: build.slackChannel,
    timestamp: build.timestamp,
    ...scaleFields('out', build.scaleOut),
    ...scaleFields('in', build.scaleIn),
    state: build.state,
    error_reason: build.errorReason,
    created_at: build.createdAt,
  };
}

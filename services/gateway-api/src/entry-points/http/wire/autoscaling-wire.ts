import type { AutoscalingGroupBuild, ScalingRule } from '@overcast/contracts';
import type { components } from '../generated/openapi';

type Schemas = components['schemas'];
type Input = Schemas['AutoscalingGroupBuildInput'];
type Direction = 'out' | 'in';

/** Each rule field's name in pudding's flat body, after `scale_<direction>_`. */
const puddingSuffixes = {
  cooldown: 'cooldown',
  adjustment: 'adjustment',
  metricName: 'metric_name',
  metricNamespace: 'metric_namespace',
  metricStatistic: 'metric_statistic',
  metricPeriod: 'metric_period',
  metricEvaluationPeriods: 'metric_evaluation_periods',
  metricThreshold: 'metric_threshold',
  metricComparisonOperator: 'metric_comparison_operator',
} as const satisfies Record<keyof ScalingRule, string>;
const ruleFields = Object.entries(puddingSuffixes) as [keyof ScalingRule, string][];

/** Pudding's flat `scale_<direction>_*` fields of one rule. */
function scaleFields(direction: Direction, rule: ScalingRule) {
  return Object.fromEntries(ruleFields.map(([field, suffix]) => [`scale_${direction}_${suffix}`, rule[field]]));
}

/** The overrides a body gives for one direction; a field not given (or an empty string) keeps pudding's default. */
export function scalingOverridesOf(input: Input, direction: Direction): Partial<ScalingRule> {
  const given = ruleFields.flatMap(([field, suffix]) => {
    const value: unknown = input[`scale_${direction}_${suffix}` as keyof Input];
    return value === undefined || value === '' ? [] : [[field, value]];
  });
  return Object.fromEntries(given) as Partial<ScalingRule>;
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

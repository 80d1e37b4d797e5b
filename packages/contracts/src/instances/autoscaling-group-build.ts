import { z } from 'zod';
import { defineCommand, defineRpc } from '../catalog';
import { TenantScope } from '../platform';
import { INSTANCE_BROKER_SERVICE, PlacementLabel, Timestamp } from './instance';
import { SlackChannel } from './instance-build';

/** pudding's autoscaling group builds: states as its worker went through them (it kept none; Overcast does). */
export const AutoscalingGroupBuildState = z.enum(['pending', 'finished', 'errored']);
export type AutoscalingGroupBuildState = z.infer<typeof AutoscalingGroupBuildState>;

/** One CloudWatch alarm and the scaling policy it triggers (pudding's `scale_out_*` / `scale_in_*`). */
export const ScalingRule = z.object({
  cooldown: z.number().int().min(0).max(86_400),
  adjustment: z.number().int().min(-1000).max(1000),
  metricName: z.string().min(1).max(255),
  metricNamespace: z.string().min(1).max(255),
  metricStatistic: z.enum(['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum']),
  metricPeriod: z.number().int().min(10).max(86_400),
  metricEvaluationPeriods: z.number().int().min(1).max(100),
  metricThreshold: z.number(),
  metricComparisonOperator: z.enum([
    'GreaterThanOrEqualToThreshold',
    'GreaterThanThreshold',
    'LessThanThreshold',
    'LessThanOrEqualToThreshold',
  ]),
});
export type ScalingRule = z.infer<typeof ScalingRule>;

/** pudding's defaults (Hydrate): +1 when CPU averages >= 90 % over 2 × 120 s, −1 under 10 %, cooldown 300 s. */
export const defaultScaleOut: ScalingRule = {
  cooldown: 300,
  adjustment: 1,
  metricName: 'CPUUtilization',
  metricNamespace: 'AWS/EC2',
  metricStatistic: 'Average',
  metricPeriod: 120,
  metricEvaluationPeriods: 2,
  metricThreshold: 90,
  metricComparisonOperator: 'GreaterThanOrEqualToThreshold',
};
export const defaultScaleIn: ScalingRule = {
  ...defaultScaleOut,
  adjustment: -1,
  metricThreshold: 10,
  metricComparisonOperator: 'LessThanThreshold',
};

const Arn = z.string().min(1).max(1600);
const GroupSize = z.number().int().min(0).max(10_000);

export const AutoscalingGroupBuild = z.object({
  id: z.uuid(),
  provider: z.string(),
  /** The Overcast instance the group was made from, and its provider id (the EC2 instance id). */
  instanceId: z.uuid(),
  upstreamInstanceId: z.string(),
  /** The group's name: the name template rendered once, at create, so every retried step names the same group. */
  name: z.string(),
  nameTemplate: z.string(),
  site: z.string(),
  env: z.string(),
  queue: z.string(),
  role: z.string(),
  roleArn: z.string(),
  topicArn: z.string(),
  instanceType: z.string().nullable(),
  minSize: z.number().int(),
  maxSize: z.number().int(),
  desiredCapacity: z.number().int(),
  defaultCooldown: z.number().int().nullable(),
  slackChannel: z.string().nullable(),
  /** Unix seconds of the build's creation: pudding's `{{.Timestamp}}`. */
  timestamp: z.number().int(),
  scaleOut: ScalingRule,
  scaleIn: ScalingRule,
  state: AutoscalingGroupBuildState,
  errorReason: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type AutoscalingGroupBuild = z.infer<typeof AutoscalingGroupBuild>;

function requiredLabel(field: string) {
  return PlacementLabel.min(1, `empty "${field}" param`);
}

export const CreateAutoscalingGroupBuildRequest = TenantScope.extend({
  /** Overcast id, `i-<id>`, `i-<8 hex digits>` or the provider's id; the tenant's instance, with a provider id. */
  instanceId: z.string().min(1, 'empty "instance_id"').max(255),
  site: requiredLabel('site'),
  env: requiredLabel('env'),
  queue: requiredLabel('queue'),
  role: requiredLabel('role'),
  roleArn: Arn,
  topicArn: Arn,
  /** Kept as sent (pudding's clients send it); the group launches what the instance is. */
  instanceType: z.string().min(1).max(100).optional(),
  minSize: GroupSize,
  maxSize: GroupSize,
  desiredCapacity: GroupSize,
  defaultCooldown: z.number().int().min(0).max(86_400).optional(),
  slackChannel: SlackChannel.optional(),
  nameTemplate: z.string().min(1).max(255).optional(),
  scaleOut: ScalingRule.partial(),
  scaleIn: ScalingRule.partial(),
});
export type CreateAutoscalingGroupBuildRequest = z.infer<typeof CreateAutoscalingGroupBuildRequest>;

/** Answers the build `pending` (HTTP 202); a job makes the group, its policies, alarms and lifecycle hooks. */
export const createAutoscalingGroupBuildRpc = defineRpc({
  type: 'autoscaling-group-build.create',
  service: INSTANCE_BROKER_SERVICE,
  request: CreateAutoscalingGroupBuildRequest,
  response: AutoscalingGroupBuild,
});

export const ProvisionAutoscalingGroupBuild = z.object({ tenantId: z.string().min(1), buildId: z.uuid() });
export type ProvisionAutoscalingGroupBuild = z.infer<typeof ProvisionAutoscalingGroupBuild>;

/** Runs the build's remaining steps in order; each step is recorded once done, so a retried job resumes. */
export const provisionAutoscalingGroupBuildCommand = defineCommand({
  type: 'autoscaling-group-build.provision',
  service: INSTANCE_BROKER_SERVICE,
  schema: ProvisionAutoscalingGroupBuild,
});

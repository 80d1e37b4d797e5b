/**
 * Autoscaling groups made from one running instance (pudding's autoscaling-group-builds), on the providers that
 * have them. Every call is idempotent so a retried step never makes a second of anything: a group that already
 * exists under the name is success, policies, alarms and hooks are upserts by name.
 */

export interface AutoscalingGroupInput {
  name: string;
  /** The provider's own id of the instance the group is made from (an EC2 instance id). */
  upstreamInstanceId: string;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  defaultCooldown?: number;
  /** Tags propagated to the instances the group launches. */
  tags: Record<string, string>;
}

export interface ScalingPolicyInput {
  name: string;
  groupName: string;
  cooldown: number;
  /** Instances added (positive) or removed (negative) each time the policy runs. */
  adjustment: number;
}

export interface MetricAlarmInput {
  name: string;
  metricName: string;
  namespace: string;
  statistic: 'SampleCount' | 'Average' | 'Sum' | 'Minimum' | 'Maximum';
  period: number;
  evaluationPeriods: number;
  threshold: number;
  comparisonOperator:
    'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';
  /** The policy the alarm runs (its ARN). */
  actionArn: string;
}

export type LifecycleHookTransition = 'launching' | 'terminating';

export interface LifecycleHookInput {
  name: string;
  groupName: string;
  transition: LifecycleHookTransition;
  /** Where the group announces the transition, and the role it may publish there with. */
  topicArn: string;
  roleArn: string;
  heartbeatTimeoutSeconds: number;
}

export interface LifecycleActionInput {
  groupName: string;
  hookName: string;
  token: string;
  upstreamInstanceId: string;
}

export interface AutoscalingGroups {
  /** Create the group from the instance; a group already there under the name is success. */
  createGroup(input: AutoscalingGroupInput): Promise<void>;
  /** Create or replace the policy by name; answers its ARN (the same on every call). */
  putScalingPolicy(input: ScalingPolicyInput): Promise<string>;
  /** Create or replace the alarm by name. */
  putMetricAlarm(input: MetricAlarmInput): Promise<void>;
  /** Create or replace the hook by name (default result CONTINUE). */
  putLifecycleHook(input: LifecycleHookInput): Promise<void>;
  /** Let a paused instance go on (CONTINUE). */
  completeLifecycleAction(input: LifecycleActionInput): Promise<void>;
  /** Confirm an HTTP(S) subscription of a topic with the token SNS sent; the region is the topic's. */
  confirmSubscription(input: { topicArn: string; token: string }): Promise<void>;
}

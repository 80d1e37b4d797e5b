import type { ProviderInstanceState } from './compute';

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

/** An instance an autoscaling group launched, as the provider describes it. */
export interface GroupInstance {
  /** The provider's own id (EC2 `i-…`); group instances carry no Overcast tag. */
  upstreamId: string;
  /** `terminating` as soon as the group is taking it out (its terminating hook may hold it running meanwhile). */
  state: ProviderInstanceState;
  ipAddress: string | null;
  /** The image and machine type it runs (the group's launch configuration, made from the build's instance). */
  image: string | null;
  instanceType: string | null;
  createdAt: Date;
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
  /**
   * The group's instances and the `known` ones (instances of the group it may have let go since), as the provider
   * describes them now. An id the provider no longer knows is left out; a group that is gone has no instances.
   */
  describeGroupInstances(input: { groupName: string; known: readonly string[] }): Promise<GroupInstance[]>;
  /**
   * Terminate one of the group's instances through the group (its terminating hook runs, so the instance hears it
   * is going down; the group keeps its desired capacity by launching a replacement). An instance already leaving,
   * or gone, is success; one no group holds any more is terminated directly.
   */
  terminateGroupInstance(upstreamInstanceId: string): Promise<void>;
  /** Confirm an HTTP(S) subscription of a topic with the token SNS sent; the region is the topic's. */
  confirmSubscription(input: { topicArn: string; token: string }): Promise<void>;
}

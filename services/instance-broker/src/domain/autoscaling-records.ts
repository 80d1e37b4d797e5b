import type { AutoscalingGroupBuild, InstanceLifecycleTransition } from '@overcast/contracts';

/** The steps of an autoscaling group build, in order (pudding's worker ran them so). */
export const autoscalingSteps = [
  'group',
  'scale-out-policy',
  'scale-in-policy',
  'scale-out-alarm',
  'scale-in-alarm',
  'launching-hook',
  'terminating-hook',
] as const;
export type AutoscalingStep = (typeof autoscalingSteps)[number];

export type AutoscalingGroupBuildRecord = Omit<AutoscalingGroupBuild, 'createdAt' | 'updatedAt'> & {
  tenantId: string;
  /** The last step done; null before the first. */
  step: AutoscalingStep | null;
  scaleOutPolicyArn: string | null;
  scaleInPolicyArn: string | null;
  createdAt: Date;
  updatedAt: Date;
};

export type AutoscalingGroupBuildChanges = Partial<
  Pick<AutoscalingGroupBuildRecord, 'state' | 'step' | 'scaleOutPolicyArn' | 'scaleInPolicyArn' | 'errorReason'>
>;

/** A lifecycle action an autoscaling group paused an instance for (from its SNS notification). */
export interface LifecycleActionRecord {
  tenantId: string;
  transition: InstanceLifecycleTransition;
  upstreamInstanceId: string;
  buildId: string;
  groupName: string;
  hookName: string;
  token: string;
}

/** An instance an autoscaling group of a build launched, adopted as an Overcast instance of the build's tenant. */
export interface GroupInstanceRecord {
  instanceId: string;
  tenantId: string;
  buildId: string;
  upstreamInstanceId: string;
}

export interface AutoscalingRepository {
  /** 'name-taken' when another build of the tenant, or of the topic, names the same group (nothing written). */
  insertBuild(
    build: Omit<AutoscalingGroupBuildRecord, 'createdAt' | 'updatedAt'>,
  ): Promise<AutoscalingGroupBuildRecord | 'name-taken'>;
  findBuild(id: string): Promise<AutoscalingGroupBuildRecord | null>;
  updateBuild(id: string, changes: AutoscalingGroupBuildChanges): Promise<AutoscalingGroupBuildRecord>;
  /** Every build that named the topic, oldest first. */
  findBuildsByTopic(topicArn: string): Promise<AutoscalingGroupBuildRecord[]>;
  /** false when the MessageId was recorded before: the message was acted on already. */
  recordSnsMessage(message: { messageId: string; topicArn: string; type: string }): Promise<boolean>;
  /** Stores the action, replacing one for the same instance and transition (a newer token). */
  storeLifecycleAction(action: LifecycleActionRecord): Promise<void>;
  /** Removes the action if it is still the one stored (same token): a newer one stays. */
  deleteLifecycleAction(action: LifecycleActionRecord): Promise<void>;
  findLifecycleAction(
    tenantId: string,
    transition: InstanceLifecycleTransition,
    upstreamInstanceId: string,
  ): Promise<LifecycleActionRecord | null>;
  /** Every finished build on the provider: the groups that exist, whose instances are synced. */
  listFinishedBuilds(provider: string): Promise<AutoscalingGroupBuildRecord[]>;
  /**
   * Records the group's instance before its instance row is inserted in the same transaction; false when the
   * build's group has the instance recorded already (nothing written). A concurrent recording of the same instance
   * waits for the first to commit and then answers false.
   */
  recordGroupInstance(member: GroupInstanceRecord): Promise<boolean>;
  listGroupInstances(buildId: string): Promise<GroupInstanceRecord[]>;
  /** The group membership of an Overcast instance; null for an instance no group launched. */
  findGroupInstance(instanceId: string): Promise<GroupInstanceRecord | null>;
  markExpectedDown(tenantId: string, upstreamInstanceId: string): Promise<void>;
  isExpectedDown(tenantId: string, upstreamInstanceId: string): Promise<boolean>;
}

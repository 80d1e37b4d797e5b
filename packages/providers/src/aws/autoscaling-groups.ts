import {
  AutoScalingClient,
  CompleteLifecycleActionCommand,
  CreateAutoScalingGroupCommand,
  PutLifecycleHookCommand,
  PutScalingPolicyCommand,
} from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import type { EC2Client } from '@aws-sdk/client-ec2';
import { ConfirmSubscriptionCommand, SNSClient } from '@aws-sdk/client-sns';
import { callAws, unlessAws } from '../container-platform/aws/aws-call';
import type { AutoscalingGroups } from '../core/autoscaling';
import { ProviderError } from '../core/compute';
import { describeGroupInstances, terminateGroupInstance } from './group-instances';

export interface AwsAutoscalingClients {
  autoScaling: AutoScalingClient;
  cloudWatch: CloudWatchClient;
  /** ConfirmSubscription must reach the topic's own region. */
  snsFor(region: string): SNSClient;
}

/** Clients in the provider's region (SNS's in each topic's), with the SDK's standard retries for throttling. */
export function createAwsAutoscalingClients(
  region: string,
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
): AwsAutoscalingClients {
  const options = { region, ...(credentials ? { credentials } : {}) };
  const sns = new Map<string, SNSClient>();
  return {
    autoScaling: new AutoScalingClient(options),
    cloudWatch: new CloudWatchClient(options),
    snsFor(topicRegion) {
      const client = sns.get(topicRegion) ?? new SNSClient({ ...options, region: topicRegion });
      sns.set(topicRegion, client);
      return client;
    },
  };
}

const hookTransitions = {
  launching: 'autoscaling:EC2_INSTANCE_LAUNCHING',
  terminating: 'autoscaling:EC2_INSTANCE_TERMINATING',
} as const;

/** `arn:aws:sns:<region>:<account>:<topic>` → its region. */
function regionOfTopic(topicArn: string): string {
  const region = topicArn.split(':')[3];
  if (!region) throw new ProviderError(`"${topicArn}" is not an SNS topic ARN`, { retryable: false });
  return region;
}

/**
 * Auto Scaling and CloudWatch as pudding's worker used them. A failure is a ProviderError that says whether to
 * retry (throttling, 5xx: yes, after the SDK's own retries); the broker's job retries with backoff.
 */
export function createAwsAutoscalingGroups(
  clients: AwsAutoscalingClients,
  ec2: { client: EC2Client; usePrivateIp: boolean },
): AutoscalingGroups {
  const instanceClients = { autoScaling: clients.autoScaling, ec2: ec2.client, usePrivateIp: ec2.usePrivateIp };
  return {
    async createGroup(input) {
      const command = new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: input.name,
        InstanceId: input.upstreamInstanceId,
        MinSize: input.minSize,
        MaxSize: input.maxSize,
        DesiredCapacity: input.desiredCapacity,
        ...(input.defaultCooldown === undefined ? {} : { DefaultCooldown: input.defaultCooldown }),
        Tags: Object.entries(input.tags).map(([Key, Value]) => ({ Key, Value, PropagateAtLaunch: true })),
      });
      // The name is the build's own: a group already there under it is the one an earlier try made.
      await unlessAws(['AlreadyExistsFault'], undefined, () =>
        callAws('CreateAutoScalingGroup', () => clients.autoScaling.send(command)),
      );
    },
    async putScalingPolicy(input) {
      const answer = await callAws('PutScalingPolicy', () =>
        clients.autoScaling.send(
          new PutScalingPolicyCommand({
            PolicyName: input.name,
            AutoScalingGroupName: input.groupName,
            AdjustmentType: 'ChangeInCapacity',
            Cooldown: input.cooldown,
            ScalingAdjustment: input.adjustment,
          }),
        ),
      );
      if (!answer.PolicyARN) throw new ProviderError('PutScalingPolicy answered no PolicyARN', { retryable: true });
      return answer.PolicyARN;
    },
    async putMetricAlarm(input) {
      await callAws('PutMetricAlarm', () =>
        clients.cloudWatch.send(
          new PutMetricAlarmCommand({
            AlarmName: input.name,
            MetricName: input.metricName,
            Namespace: input.namespace,
            Statistic: input.statistic,
            Period: input.period,
            EvaluationPeriods: input.evaluationPeriods,
            Threshold: input.threshold,
            ComparisonOperator: input.comparisonOperator,
            AlarmActions: [input.actionArn],
          }),
        ),
      );
    },
    async putLifecycleHook(input) {
      await callAws('PutLifecycleHook', () =>
        clients.autoScaling.send(
          new PutLifecycleHookCommand({
            LifecycleHookName: input.name,
            AutoScalingGroupName: input.groupName,
            LifecycleTransition: hookTransitions[input.transition],
            NotificationTargetARN: input.topicArn,
            RoleARN: input.roleArn,
            HeartbeatTimeout: input.heartbeatTimeoutSeconds,
            DefaultResult: 'CONTINUE',
          }),
        ),
      );
    },
    async completeLifecycleAction(input) {
      await callAws('CompleteLifecycleAction', () =>
        clients.autoScaling.send(
          new CompleteLifecycleActionCommand({
            AutoScalingGroupName: input.groupName,
            LifecycleHookName: input.hookName,
            LifecycleActionToken: input.token,
            InstanceId: input.upstreamInstanceId,
            LifecycleActionResult: 'CONTINUE',
          }),
        ),
      );
    },
    describeGroupInstances: (input) => describeGroupInstances(instanceClients, input),
    terminateGroupInstance: (upstreamInstanceId) => terminateGroupInstance(instanceClients, upstreamInstanceId),
    async confirmSubscription({ topicArn, token }) {
      const sns = clients.snsFor(regionOfTopic(topicArn));
      await callAws('ConfirmSubscription', () =>
        sns.send(new ConfirmSubscriptionCommand({ TopicArn: topicArn, Token: token })),
      );
    },
  };
}

import {
  AlreadyExistsFault,
  AutoScalingClient,
  AutoScalingServiceException,
  CompleteLifecycleActionCommand,
  CreateAutoScalingGroupCommand,
  PutLifecycleHookCommand,
  PutScalingPolicyCommand,
} from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { ConfirmSubscriptionCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { ProviderError } from '../core/compute';
import { createAwsAutoscalingGroups } from './autoscaling-groups';

const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' };

function mockedClients() {
  const autoScaling = new AutoScalingClient({ region: 'us-east-1', credentials, maxAttempts: 1 });
  const cloudWatch = new CloudWatchClient({ region: 'us-east-1', credentials, maxAttempts: 1 });
  const snsRegions: string[] = [];
  const sns = new SNSClient({ region: 'eu-west-1', credentials });
  const mocks = { autoScaling: mockClient(autoScaling), cloudWatch: mockClient(cloudWatch), sns: mockClient(sns) };
  const groups = createAwsAutoscalingGroups(
    {
      autoScaling,
      cloudWatch,
      snsFor: (region) => {
        snsRegions.push(region);
        return sns;
      },
    },
    { client: new EC2Client({ region: 'us-east-1', credentials }), usePrivateIp: false },
  );
  return { groups, mocks, snsRegions };
}

const throttled = () =>
  new AutoScalingServiceException({
    name: 'Throttling',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: 'Rate exceeded',
  });

describe('aws autoscaling groups', () => {
  it('creates the group from the instance with tags propagated at launch', async () => {
    const { groups, mocks } = mockedClients();
    mocks.autoScaling.on(CreateAutoScalingGroupCommand).resolves({});

    await groups.createGroup({
      name: 'worky-com-prod-fancy-abcd123-1700000000',
      upstreamInstanceId: 'i-abcd123',
      minSize: 1,
      maxSize: 10,
      desiredCapacity: 1,
      defaultCooldown: 1200,
      tags: { role: 'worky', Name: 'worky-com-prod-fancy-abcd123-1700000000' },
    });

    expect(mocks.autoScaling.commandCalls(CreateAutoScalingGroupCommand).map((call) => call.args[0].input)).toEqual([
      {
        AutoScalingGroupName: 'worky-com-prod-fancy-abcd123-1700000000',
        InstanceId: 'i-abcd123',
        MinSize: 1,
        MaxSize: 10,
        DesiredCapacity: 1,
        DefaultCooldown: 1200,
        Tags: [
          { Key: 'role', Value: 'worky', PropagateAtLaunch: true },
          { Key: 'Name', Value: 'worky-com-prod-fancy-abcd123-1700000000', PropagateAtLaunch: true },
        ],
      },
    ]);
  });

  it('takes a group that already exists under the name as made (a retried step makes no second)', async () => {
    const { groups, mocks } = mockedClients();
    mocks.autoScaling
      .on(CreateAutoScalingGroupCommand)
      .rejects(new AlreadyExistsFault({ $metadata: { httpStatusCode: 400 }, message: 'already exists' }));

    await expect(
      groups.createGroup({
        name: 'g',
        upstreamInstanceId: 'i-1',
        minSize: 0,
        maxSize: 1,
        desiredCapacity: 0,
        tags: {},
      }),
    ).resolves.toBeUndefined();
  });

  it('reports throttling as a retryable provider failure', async () => {
    const { groups, mocks } = mockedClients();
    mocks.autoScaling.on(PutScalingPolicyCommand).rejects(throttled());

    const failure = groups.putScalingPolicy({ name: 'g-sop', groupName: 'g', cooldown: 300, adjustment: 1 });

    await expect(failure).rejects.toBeInstanceOf(ProviderError);
    await expect(failure).rejects.toMatchObject({ retryable: true, code: 'Throttling' });
  });

  it('sends policies, alarms, hooks and completions with exactly the inputs pudding used', async () => {
    const { groups, mocks } = mockedClients();
    mocks.autoScaling.on(PutScalingPolicyCommand).resolves({ PolicyARN: 'arn:policy:sop' });
    mocks.cloudWatch.on(PutMetricAlarmCommand).resolves({});
    mocks.autoScaling.on(PutLifecycleHookCommand).resolves({});
    mocks.autoScaling.on(CompleteLifecycleActionCommand).resolves({});

    await expect(
      groups.putScalingPolicy({ name: 'g-sop', groupName: 'g', cooldown: 300, adjustment: 1 }),
    ).resolves.toBe('arn:policy:sop');
    await groups.putMetricAlarm({
      name: 'g-add-capacity',
      metricName: 'CPUUtilization',
      namespace: 'AWS/EC2',
      statistic: 'Average',
      period: 120,
      evaluationPeriods: 2,
      threshold: 90,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      actionArn: 'arn:policy:sop',
    });
    await groups.putLifecycleHook({
      name: 'g-lch-terminating',
      groupName: 'g',
      transition: 'terminating',
      topicArn: 'arn:aws:sns:us-east-1:123456789012:pudding',
      roleArn: 'arn:aws:iam::123456789012:role/pudding',
      heartbeatTimeoutSeconds: 900,
    });
    await groups.completeLifecycleAction({
      groupName: 'g',
      hookName: 'g-lch-launching',
      token: 't-1',
      upstreamInstanceId: 'i-1',
    });

    expect(mocks.autoScaling.commandCalls(PutScalingPolicyCommand)[0]?.args[0].input).toEqual({
      PolicyName: 'g-sop',
      AutoScalingGroupName: 'g',
      AdjustmentType: 'ChangeInCapacity',
      Cooldown: 300,
      ScalingAdjustment: 1,
    });
    expect(mocks.cloudWatch.commandCalls(PutMetricAlarmCommand)[0]?.args[0].input).toEqual({
      AlarmName: 'g-add-capacity',
      MetricName: 'CPUUtilization',
      Namespace: 'AWS/EC2',
      Statistic: 'Average',
      Period: 120,
      EvaluationPeriods: 2,
      Threshold: 90,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: ['arn:policy:sop'],
    });
    expect(mocks.autoScaling.commandCalls(PutLifecycleHookCommand)[0]?.args[0].input).toEqual({
      LifecycleHookName: 'g-lch-terminating',
      AutoScalingGroupName: 'g',
      LifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
      NotificationTargetARN: 'arn:aws:sns:us-east-1:123456789012:pudding',
      RoleARN: 'arn:aws:iam::123456789012:role/pudding',
      HeartbeatTimeout: 900,
      DefaultResult: 'CONTINUE',
    });
    expect(mocks.autoScaling.commandCalls(CompleteLifecycleActionCommand)[0]?.args[0].input).toEqual({
      AutoScalingGroupName: 'g',
      LifecycleHookName: 'g-lch-launching',
      LifecycleActionToken: 't-1',
      InstanceId: 'i-1',
      LifecycleActionResult: 'CONTINUE',
    });
  });

  it("confirms a subscription in the topic's own region", async () => {
    const { groups, mocks, snsRegions } = mockedClients();
    mocks.sns.on(ConfirmSubscriptionCommand).resolves({ SubscriptionArn: 'arn:sub' });

    await groups.confirmSubscription({ topicArn: 'arn:aws:sns:ap-south-1:123456789012:pudding', token: 'tok' });

    expect(snsRegions).toEqual(['ap-south-1']);
    expect(mocks.sns.commandCalls(ConfirmSubscriptionCommand)[0]?.args[0].input).toEqual({
      TopicArn: 'arn:aws:sns:ap-south-1:123456789012:pudding',
      Token: 'tok',
    });
  });
});

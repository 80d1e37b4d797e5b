import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeAutoScalingInstancesCommand,
  TerminateInstanceInAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { describeGroupInstances, terminateGroupInstance } from './group-instances';
import { createMockedEc2, ec2Error, ec2Instance } from './testing/ec2-test-support';

const groupName = 'worky-com-prod-fancy-abcd123-1700000000';

function mockedClients(usePrivateIp = false) {
  const autoScaling = new AutoScalingClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  const ec2 = createMockedEc2();
  return {
    clients: { autoScaling, ec2: ec2.client, usePrivateIp },
    autoScalingMock: mockClient(autoScaling),
    ec2,
  };
}

/** A group instance as DescribeInstances answers it: the group's tags, no Overcast tag. */
const launched = (id: string, state: string) =>
  ec2Instance({
    InstanceId: id,
    State: { Name: state as 'running' },
    Tags: [{ Key: 'aws:autoscaling:groupName', Value: groupName }],
  });

describe('aws autoscaling group instances', () => {
  it("describes the group's instances and the known ones that left it, marking those it is taking out", async () => {
    const { clients, autoScalingMock, ec2 } = mockedClients();
    autoScalingMock.on(DescribeAutoScalingGroupsCommand).resolves({
      AutoScalingGroups: [
        {
          AutoScalingGroupName: groupName,
          Instances: [
            { InstanceId: 'i-0aaa', LifecycleState: 'InService' },
            { InstanceId: 'i-0bbb', LifecycleState: 'Terminating:Wait' },
          ],
        } as never,
      ],
    });
    ec2.mock.on(DescribeInstancesCommand).resolves({
      Reservations: [
        {
          Instances: [launched('i-0aaa', 'running'), launched('i-0bbb', 'running'), launched('i-0old', 'terminated')],
        },
      ],
    });

    const instances = await describeGroupInstances(clients, { groupName, known: ['i-0aaa', 'i-0old'] });

    expect(autoScalingMock.commandCalls(DescribeAutoScalingGroupsCommand)[0]?.args[0].input).toEqual({
      AutoScalingGroupNames: [groupName],
    });
    // A filter, so an id EC2 forgot (long terminated) cannot fail the whole call.
    expect(ec2.sent()).toEqual([
      {
        command: 'DescribeInstancesCommand',
        input: { Filters: [{ Name: 'instance-id', Values: ['i-0aaa', 'i-0bbb', 'i-0old'] }], MaxResults: 1000 },
      },
    ]);
    const common = {
      ipAddress: '203.0.113.175',
      image: 'ami-00aabbcc',
      instanceType: 't3.medium',
      createdAt: new Date('2026-11-02T10:00:00.000Z'),
    };
    expect(instances).toEqual([
      { upstreamId: 'i-0aaa', state: 'running', ...common },
      { upstreamId: 'i-0bbb', state: 'terminating', ...common },
      { upstreamId: 'i-0old', state: 'terminated', ...common },
    ]);
  });

  it('asks EC2 nothing for a group that is gone and no known instances, and reports private addresses when told', async () => {
    const gone = mockedClients();
    gone.autoScalingMock.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });
    expect(await describeGroupInstances(gone.clients, { groupName, known: [] })).toEqual([]);
    expect(gone.ec2.sent()).toEqual([]);

    const privately = mockedClients(true);
    privately.autoScalingMock.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });
    privately.ec2.mock
      .on(DescribeInstancesCommand)
      .resolves({ Reservations: [{ Instances: [launched('i-0aaa', 'pending')] }] });
    expect(await describeGroupInstances(privately.clients, { groupName, known: ['i-0aaa'] })).toMatchObject([
      { upstreamId: 'i-0aaa', state: 'starting', ipAddress: '10.0.1.17' },
    ]);
  });

  it('describes at most 200 ids a call, as EC2 allows a filter', async () => {
    const { clients, autoScalingMock, ec2 } = mockedClients();
    autoScalingMock.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });
    ec2.mock.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    const known = Array.from({ length: 201 }, (_, index) => `i-${index.toString(16).padStart(8, '0')}`);

    await describeGroupInstances(clients, { groupName, known });

    const filtered = ec2.mock
      .commandCalls(DescribeInstancesCommand)
      .map((call) => call.args[0].input.Filters?.[0]?.Values?.length);
    expect(filtered).toEqual([200, 1]);
  });

  it('terminates a member through its group, keeping the capacity (the group replaces it)', async () => {
    const { clients, autoScalingMock, ec2 } = mockedClients();
    autoScalingMock.on(DescribeAutoScalingInstancesCommand).resolves({
      AutoScalingInstances: [
        { InstanceId: 'i-0aaa', AutoScalingGroupName: groupName, LifecycleState: 'InService' } as never,
      ],
    });
    autoScalingMock.on(TerminateInstanceInAutoScalingGroupCommand).resolves({});

    await terminateGroupInstance(clients, 'i-0aaa');

    expect(
      autoScalingMock.commandCalls(TerminateInstanceInAutoScalingGroupCommand).map((call) => call.args[0].input),
    ).toEqual([{ InstanceId: 'i-0aaa', ShouldDecrementDesiredCapacity: false }]);
    expect(ec2.sent()).toEqual([]);
  });

  it('takes a member already leaving as terminated, and terminates one no group holds directly', async () => {
    const leaving = mockedClients();
    leaving.autoScalingMock.on(DescribeAutoScalingInstancesCommand).resolves({
      AutoScalingInstances: [{ InstanceId: 'i-0aaa', LifecycleState: 'Terminating:Wait' } as never],
    });
    await terminateGroupInstance(leaving.clients, 'i-0aaa');
    expect(leaving.autoScalingMock.commandCalls(TerminateInstanceInAutoScalingGroupCommand)).toEqual([]);
    expect(leaving.ec2.sent()).toEqual([]);

    const detached = mockedClients();
    detached.autoScalingMock.on(DescribeAutoScalingInstancesCommand).resolves({ AutoScalingInstances: [] });
    detached.ec2.mock.on(TerminateInstancesCommand).rejects(ec2Error('InvalidInstanceID.NotFound'));
    await terminateGroupInstance(detached.clients, 'i-0gone');
    expect(detached.ec2.sent()).toEqual([
      { command: 'TerminateInstancesCommand', input: { InstanceIds: ['i-0gone'] } },
    ]);
  });
});

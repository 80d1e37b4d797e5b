import {
  DescribeAutoScalingGroupsCommand,
  DescribeAutoScalingInstancesCommand,
  TerminateInstanceInAutoScalingGroupCommand,
  type AutoScalingClient,
} from '@aws-sdk/client-auto-scaling';
import { TerminateInstancesCommand, type EC2Client, type Instance } from '@aws-sdk/client-ec2';
import { callAws, unlessAws } from '../container-platform/aws/aws-call';
import type { GroupInstance } from '../core/autoscaling';
import { describeInstancesByUpstreamIds } from './describe-overcast-instances';
import { callEc2 } from './ec2-errors';
import { mapEc2State } from './ec2-instance-mapping';

export interface GroupInstanceClients {
  autoScaling: AutoScalingClient;
  ec2: EC2Client;
  /** Report the private address rather than the public one (the provider's `usePrivateIp`). */
  usePrivateIp: boolean;
}

/** Auto Scaling lifecycle states of an instance the group is taking out (`Terminating:Wait` while its hook holds it). */
const isLeaving = (lifecycleState: string | undefined) => (lifecycleState ?? '').startsWith('Terminat');

function toGroupInstance(instance: Instance, leaving: boolean, usePrivateIp: boolean): GroupInstance | null {
  if (!instance.InstanceId) return null;
  const state = mapEc2State(instance.State?.Name);
  return {
    upstreamId: instance.InstanceId,
    state: leaving && state !== 'terminated' ? 'terminating' : state,
    ipAddress: usePrivateIp
      ? (instance.PrivateIpAddress ?? null)
      : (instance.PublicIpAddress ?? instance.PrivateIpAddress ?? null),
    image: instance.ImageId ?? null,
    instanceType: instance.InstanceType ?? null,
    createdAt: instance.LaunchTime ?? new Date(0),
  };
}

/**
 * pudding's ec2-sync, for one group: DescribeAutoScalingGroups names the group's instances (and which it is taking
 * out), DescribeInstances describes them and the known ones that have left it (terminated instances stay
 * described for about an hour; after that they are simply absent).
 */
export async function describeGroupInstances(
  clients: GroupInstanceClients,
  input: { groupName: string; known: readonly string[] },
): Promise<GroupInstance[]> {
  const answer = await callAws('DescribeAutoScalingGroups', () =>
    clients.autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [input.groupName] })),
  );
  const group = answer.AutoScalingGroups?.find((candidate) => candidate.AutoScalingGroupName === input.groupName);
  const members = group?.Instances ?? [];
  const leaving = new Set(
    members.filter((member) => isLeaving(member.LifecycleState)).map((member) => member.InstanceId),
  );
  const ids = new Set([...members.flatMap((member) => member.InstanceId ?? []), ...input.known]);
  if (ids.size === 0) return [];
  const described = await describeInstancesByUpstreamIds(clients.ec2, [...ids]);
  return described.flatMap(
    (instance) => toGroupInstance(instance, leaving.has(instance.InstanceId), clients.usePrivateIp) ?? [],
  );
}

/**
 * Through the group, so its terminating hook runs (the instance's heartbeats answer `down` and it drains) and the
 * group launches a replacement, keeping its desired capacity as pudding's plain TerminateInstances did. An
 * instance no group holds any more is terminated directly; one already leaving or gone is success.
 */
export async function terminateGroupInstance(clients: GroupInstanceClients, upstreamInstanceId: string) {
  const answer = await callAws('DescribeAutoScalingInstances', () =>
    clients.autoScaling.send(new DescribeAutoScalingInstancesCommand({ InstanceIds: [upstreamInstanceId] })),
  );
  const member = answer.AutoScalingInstances?.find((candidate) => candidate.InstanceId === upstreamInstanceId);
  if (member && isLeaving(member.LifecycleState)) return;
  if (member) {
    const command = new TerminateInstanceInAutoScalingGroupCommand({
      InstanceId: upstreamInstanceId,
      ShouldDecrementDesiredCapacity: false,
    });
    await callAws('TerminateInstanceInAutoScalingGroup', () => clients.autoScaling.send(command));
    return;
  }
  const command = new TerminateInstancesCommand({ InstanceIds: [upstreamInstanceId] });
  await unlessAws(['InvalidInstanceID.NotFound'], undefined, () =>
    callEc2('TerminateInstances', () => clients.ec2.send(command)).then(() => undefined),
  );
}

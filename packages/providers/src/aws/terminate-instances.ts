import type { EC2Client } from '@aws-sdk/client-ec2';
import { DeleteKeyPairCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2';
import { awsErrorCode, callEc2, toProviderError } from './ec2-errors';
import { describeInstancesById } from './describe-overcast-instances';
import { keyPairName } from './run-instance';

/** States in which TerminateInstances has nothing left to do. */
const finishedStates = new Set(['terminated', 'shutting-down']);

/**
 * Terminate every instance tagged with the Overcast id. Stopped instances are terminated too (they are
 * reported as terminated but still exist). An instance already gone, or never found, is success.
 */
export async function terminateInstancesById(client: EC2Client, id: string): Promise<void> {
  const instances = await describeInstancesById(client, id);
  const live = instances.filter((instance) => instance.InstanceId && !finishedStates.has(instance.State?.Name ?? ''));
  if (live.length > 0) {
    try {
      await client.send(
        new TerminateInstancesCommand({ InstanceIds: live.map((instance) => instance.InstanceId as string) }),
      );
    } catch (error) {
      // Gone between describe and terminate: what we wanted.
      if (awsErrorCode(error) !== 'InvalidInstanceID.NotFound') throw toProviderError(error, 'TerminateInstances');
    }
  }
  if (instances.some((instance) => instance.KeyName === keyPairName(id))) {
    // DeleteKeyPair succeeds for a missing key pair, so a retry is harmless.
    await callEc2('DeleteKeyPair', () => client.send(new DeleteKeyPairCommand({ KeyName: keyPairName(id) })));
  }
}

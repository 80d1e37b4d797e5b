import type { _InstanceType, EC2Client, Instance, TagSpecification } from '@aws-sdk/client-ec2';
import { ImportKeyPairCommand, RunInstancesCommand } from '@aws-sdk/client-ec2';
import type { CreateInstanceInput } from '../core/compute';
import { OVERCAST_ID_TAG, ProviderError } from '../core/compute';
import { ec2InstanceTypeOf } from '../core/machine-types';
import type { ResolvedAwsConfig } from './config';
import { awsErrorCode, callEc2, toProviderError } from './ec2-errors';
import { recordToTags } from './ec2-instance-mapping';

/** The key pair an instance's SSH key is imported as; terminate deletes it by the same name. */
export function keyPairName(id: string): string {
  return `overcast-${id}`;
}

export function instanceTags(input: CreateInstanceInput): Record<string, string> {
  // overcast-id goes last so extra tags can never overwrite it.
  return { Name: `overcast-${input.id}`, ...input.tags, [OVERCAST_ID_TAG]: input.id };
}

/** EC2 only takes named key pairs; importing under a per-instance name keeps the create idempotent. */
async function importSshKey(client: EC2Client, input: CreateInstanceInput & { sshPublicKey: string }): Promise<string> {
  const name = keyPairName(input.id);
  try {
    await client.send(
      new ImportKeyPairCommand({
        KeyName: name,
        PublicKeyMaterial: new TextEncoder().encode(input.sshPublicKey),
        TagSpecifications: [{ ResourceType: 'key-pair', Tags: [{ Key: OVERCAST_ID_TAG, Value: input.id }] }],
      }),
    );
  } catch (error) {
    // An earlier try imported it already.
    if (awsErrorCode(error) !== 'InvalidKeyPair.Duplicate') throw toProviderError(error, 'ImportKeyPair');
  }
  return name;
}

/**
 * RunInstances with the Overcast id as ClientToken: EC2 answers a repeated call with the instance the
 * first one launched instead of launching another, so a worker retrying after a lost response is safe.
 */
export async function runInstance(
  client: EC2Client,
  config: ResolvedAwsConfig,
  input: CreateInstanceInput,
): Promise<Instance> {
  const keyName = input.sshPublicKey
    ? await importSshKey(client, { ...input, sshPublicKey: input.sshPublicKey })
    : undefined;
  const tags = recordToTags(instanceTags(input));
  const tagSpecifications: TagSpecification[] = [
    { ResourceType: 'instance', Tags: tags },
    { ResourceType: 'volume', Tags: tags },
  ];
  const subnetId = input.subnetId ?? config.subnetId;
  const securityGroupIds = input.securityGroupId ? [input.securityGroupId] : config.securityGroupIds;
  const output = await callEc2('RunInstances', () =>
    client.send(
      new RunInstancesCommand({
        ClientToken: input.id,
        ImageId: input.image,
        // Operators may name types newer than this SDK's enum; EC2 validates them.
        InstanceType: (ec2InstanceTypeOf(input.instanceType, config.instanceTypes) ??
          input.instanceType) as _InstanceType,
        MinCount: 1,
        MaxCount: 1,
        TagSpecifications: tagSpecifications,
        ...(input.userData === undefined ? {} : { UserData: Buffer.from(input.userData, 'utf8').toString('base64') }),
        ...(keyName === undefined ? {} : { KeyName: keyName }),
        ...(subnetId === undefined ? {} : { SubnetId: subnetId }),
        ...(securityGroupIds === undefined ? {} : { SecurityGroupIds: securityGroupIds }),
      }),
    ),
  );
  const instance = output.Instances?.[0];
  if (!instance?.InstanceId) {
    throw new ProviderError('EC2 RunInstances answered without an instance', { retryable: true });
  }
  return instance;
}

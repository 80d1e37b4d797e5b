import type { EC2Client } from '@aws-sdk/client-ec2';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
} from '@aws-sdk/client-ec2';
import { ProviderError } from '../core/compute';
import type { ResolvedAwsConfig } from './config';
import { awsErrorCode, callEc2, toProviderError } from './ec2-errors';

async function findGroupIdByName(client: EC2Client, config: ResolvedAwsConfig, name: string): Promise<string> {
  const output = await callEc2('DescribeSecurityGroups', () =>
    client.send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: 'group-name', Values: [name] },
          ...(config.vpcId === undefined ? [] : [{ Name: 'vpc-id', Values: [config.vpcId] }]),
        ],
      }),
    ),
  );
  const groupId = output.SecurityGroups?.[0]?.GroupId;
  // EC2 said the group exists; not seeing it yet is eventual consistency, so try again later.
  if (!groupId) throw new ProviderError(`security group "${name}" exists but was not found yet`, { retryable: true });
  return groupId;
}

async function createOrAdoptGroup(client: EC2Client, config: ResolvedAwsConfig, name: string): Promise<string> {
  try {
    const output = await client.send(
      new CreateSecurityGroupCommand({
        GroupName: name,
        Description: 'Overcast instance builds: inbound SSH',
        ...(config.vpcId === undefined ? {} : { VpcId: config.vpcId }),
        TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'managed-by', Value: 'overcast' }] }],
      }),
    );
    if (output.GroupId) return output.GroupId;
    throw new ProviderError('EC2 CreateSecurityGroup answered without a group id', { retryable: true });
  } catch (error) {
    if (awsErrorCode(error) === 'InvalidGroup.Duplicate') return findGroupIdByName(client, config, name);
    throw toProviderError(error, 'CreateSecurityGroup');
  }
}

/** Pudding's per-build group: create it (or adopt the one an earlier try made) and open TCP 22. */
export async function ensureSshSecurityGroup(
  client: EC2Client,
  config: ResolvedAwsConfig,
  name: string,
): Promise<string> {
  const groupId = await createOrAdoptGroup(client, config, name);
  try {
    await client.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [
          {
            IpProtocol: 'tcp',
            FromPort: 22,
            ToPort: 22,
            IpRanges: [{ CidrIp: config.sshIngressCidr, Description: 'ssh' }],
          },
        ],
      }),
    );
  } catch (error) {
    if (awsErrorCode(error) !== 'InvalidPermission.Duplicate')
      throw toProviderError(error, 'AuthorizeSecurityGroupIngress');
  }
  return groupId;
}

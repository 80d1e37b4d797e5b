import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
} from '@aws-sdk/client-ec2';
import { createAwsComputeProvider } from './aws-compute-provider';
import { createMockedEc2, ec2Error } from './testing/ec2-test-support';

const authorizeInput = (groupId: string) => ({
  GroupId: groupId,
  IpPermissions: [
    { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'ssh' }] },
  ],
});

describe('aws ensureSshSecurityGroup', () => {
  it('creates the group and opens TCP 22', async () => {
    const { client, mock, sent } = createMockedEc2();
    mock.on(CreateSecurityGroupCommand).resolves({ GroupId: 'sg-0123' });
    mock.on(AuthorizeSecurityGroupIngressCommand).resolves({ Return: true });
    const provider = createAwsComputeProvider({ region: 'eu-west-1', client, vpcId: 'vpc-1' });

    await expect(provider.ensureSshSecurityGroup('overcast-build-7')).resolves.toBe('sg-0123');

    expect(sent()).toEqual([
      {
        command: 'CreateSecurityGroupCommand',
        input: {
          GroupName: 'overcast-build-7',
          Description: 'Overcast instance builds: inbound SSH',
          VpcId: 'vpc-1',
          TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'managed-by', Value: 'overcast' }] }],
        },
      },
      { command: 'AuthorizeSecurityGroupIngressCommand', input: authorizeInput('sg-0123') },
    ]);
  });

  it('adopts an existing group by name and accepts the rule already being there', async () => {
    const { client, mock, sent } = createMockedEc2();
    mock.on(CreateSecurityGroupCommand).rejects(ec2Error('InvalidGroup.Duplicate'));
    mock
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: 'sg-existing', GroupName: 'overcast-build-7' }] });
    mock.on(AuthorizeSecurityGroupIngressCommand).rejects(ec2Error('InvalidPermission.Duplicate'));
    const provider = createAwsComputeProvider({ region: 'eu-west-1', client, sshIngressCidr: '198.51.100.0/24' });

    await expect(provider.ensureSshSecurityGroup('overcast-build-7')).resolves.toBe('sg-existing');

    expect(sent().slice(1)).toEqual([
      {
        command: 'DescribeSecurityGroupsCommand',
        input: { Filters: [{ Name: 'group-name', Values: ['overcast-build-7'] }] },
      },
      {
        command: 'AuthorizeSecurityGroupIngressCommand',
        input: {
          GroupId: 'sg-existing',
          IpPermissions: [
            {
              IpProtocol: 'tcp',
              FromPort: 22,
              ToPort: 22,
              IpRanges: [{ CidrIp: '198.51.100.0/24', Description: 'ssh' }],
            },
          ],
        },
      },
    ]);
  });

  it('asks for a retry when the duplicate group is not visible yet', async () => {
    const { client, mock } = createMockedEc2();
    mock.on(CreateSecurityGroupCommand).rejects(ec2Error('InvalidGroup.Duplicate'));
    mock.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
    const provider = createAwsComputeProvider({ region: 'eu-west-1', client });

    await expect(provider.ensureSshSecurityGroup('g')).rejects.toMatchObject({ retryable: true });
  });

  it('fails permanently when not allowed to create groups', async () => {
    const { client, mock } = createMockedEc2();
    mock.on(CreateSecurityGroupCommand).rejects(ec2Error('UnauthorizedOperation', 403));
    const provider = createAwsComputeProvider({ region: 'eu-west-1', client });

    await expect(provider.ensureSshSecurityGroup('g')).rejects.toMatchObject({
      retryable: false,
      code: 'UnauthorizedOperation',
    });
  });
});

import { DescribeSubnetsCommand } from '@aws-sdk/client-ec2';
import {
  AccessPointNotFoundException,
  CreateLoadBalancerCommand,
  DescribeLoadBalancersCommand,
} from '@aws-sdk/client-elastic-load-balancing';
import { ChangeResourceRecordSetsCommand, GetHostedZoneCommand } from '@aws-sdk/client-route-53';
import { createMockedContainerPlatform, district } from './testing/aws-container-mocks';

const service = { app: 'awesome-app', service: 'web' };
const portMappings = [{ lbPort: 80, containerPort: 3000, hostPort: 10080 }];
const dnsName = 'awesome-app-web-123.ap-northeast-1.elb.amazonaws.com';

function mocked({ exists }: { exists: boolean }) {
  const mocked = createMockedContainerPlatform();
  const { elb, ec2, route53 } = mocked.mocks;
  if (exists) {
    elb.on(DescribeLoadBalancersCommand).resolves({
      LoadBalancerDescriptions: [{ LoadBalancerName: 'awesome-app-web', DNSName: dnsName }],
    });
  } else {
    elb
      .on(DescribeLoadBalancersCommand)
      .rejects(new AccessPointNotFoundException({ message: 'There is no ACTIVE Load Balancer', $metadata: {} }));
  }
  elb.on(CreateLoadBalancerCommand).resolves({ DNSName: dnsName });
  ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: 'subnet-a' }, { SubnetId: 'subnet-b' }] });
  route53.on(GetHostedZoneCommand).resolves({ HostedZone: { Id: 'Z1234567890', Name: 'bcn.', CallerReference: 'r' } });
  route53.on(ChangeResourceRecordSetsCommand).resolves({});
  return mocked;
}

describe('aws ensureLoadBalancer', () => {
  it("creates Barcelona's classic ELB with TCP listeners, health check, draining and a CNAME", async () => {
    const { cluster, sent } = mocked({ exists: false });

    const balancer = await cluster.ensureLoadBalancer({ ...service, public: true, portMappings });

    expect(balancer).toEqual({
      name: 'awesome-app-web',
      dnsName,
      recordName: 'web.awesome-app.bcn.',
      containerName: 'web',
      containerPort: 3000,
    });
    expect(sent()).toEqual([
      { command: 'DescribeLoadBalancers', input: { LoadBalancerNames: ['awesome-app-web'] } },
      {
        command: 'DescribeSubnets',
        input: {
          Filters: [
            { Name: 'vpc-id', Values: ['vpc-11111111'] },
            { Name: 'tag:Network', Values: ['Public'] },
          ],
        },
      },
      {
        command: 'CreateLoadBalancer',
        input: {
          LoadBalancerName: 'awesome-app-web',
          Subnets: ['subnet-a', 'subnet-b'],
          Scheme: 'internet-facing',
          SecurityGroups: ['sg-public'],
          Listeners: [{ Protocol: 'TCP', LoadBalancerPort: 80, InstanceProtocol: 'TCP', InstancePort: 10080 }],
        },
      },
      {
        command: 'ConfigureHealthCheck',
        input: {
          LoadBalancerName: 'awesome-app-web',
          HealthCheck: { Target: 'TCP:10080', Interval: 5, Timeout: 4, UnhealthyThreshold: 2, HealthyThreshold: 2 },
        },
      },
      {
        command: 'ModifyLoadBalancerAttributes',
        input: {
          LoadBalancerName: 'awesome-app-web',
          LoadBalancerAttributes: { ConnectionDraining: { Enabled: true, Timeout: 300 } },
        },
      },
      { command: 'GetHostedZone', input: { Id: 'Z1234567890' } },
      {
        command: 'ChangeResourceRecordSets',
        input: {
          HostedZoneId: 'Z1234567890',
          ChangeBatch: {
            Changes: [
              {
                Action: 'UPSERT',
                ResourceRecordSet: {
                  Name: 'web.awesome-app.bcn.',
                  Type: 'CNAME',
                  TTL: 300,
                  ResourceRecords: [{ Value: dnsName }],
                },
              },
            ],
          },
        },
      },
    ]);
  });

  it('puts an internal balancer in the private subnets behind the private ELB group', async () => {
    const { cluster, mocks } = mocked({ exists: false });

    await cluster.ensureLoadBalancer({ ...service, public: false, portMappings });

    expect(mocks.ec2.commandCalls(DescribeSubnetsCommand)[0]?.args[0].input.Filters?.[1]).toEqual({
      Name: 'tag:Network',
      Values: ['Private'],
    });
    expect(mocks.elb.commandCalls(CreateLoadBalancerCommand)[0]?.args[0].input).toMatchObject({
      Scheme: 'internal',
      SecurityGroups: ['sg-private'],
    });
  });

  it('a retried step finds the balancer it made and creates nothing, setting its record again', async () => {
    const { cluster, mocks } = mocked({ exists: true });

    const balancer = await cluster.ensureLoadBalancer({ ...service, public: true, portMappings });

    expect(balancer.dnsName).toBe(dnsName);
    expect(mocks.elb.commandCalls(CreateLoadBalancerCommand)).toHaveLength(0);
    expect(mocks.route53.commandCalls(ChangeResourceRecordSetsCommand)).toHaveLength(1);
  });

  it('refuses, before any create, a district without a VPC or without subnets tagged for the scheme', async () => {
    const { platform, mocks } = mocked({ exists: false });
    const noVpc = platform.forDistrict({ ...district, vpcId: undefined });

    await expect(noVpc.ensureLoadBalancer({ ...service, public: true, portMappings })).rejects.toMatchObject({
      retryable: false,
      code: 'DISTRICT_INCOMPLETE',
    });
    mocks.ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [] });
    await expect(
      platform.forDistrict(district).ensureLoadBalancer({ ...service, public: true, portMappings }),
    ).rejects.toMatchObject({ retryable: false, code: 'NO_SUBNET' });
    expect(mocks.elb.commandCalls(CreateLoadBalancerCommand)).toHaveLength(0);
  });
});

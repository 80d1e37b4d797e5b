import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { Route53Client } from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import type { ContainerDistrict } from '../../container-platform';
import { createAwsContainerPlatform } from '../aws-container-platform';
import type { AwsContainerClients } from '../aws-container-clients';

/** Barcelona's spec district (ap-northeast-1, zone `bcn.`). */
export const district: ContainerDistrict = {
  name: 'default',
  region: 'ap-northeast-1',
  vpcId: 'vpc-11111111',
  publicElbSecurityGroup: 'sg-public',
  privateElbSecurityGroup: 'sg-private',
  instanceSecurityGroup: 'sg-instance',
  ecsServiceRole: 'ecs-service-role',
  ecsInstanceRole: 'ecs-instance-role',
  privateHostedZoneId: 'Z1234567890',
  credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' },
};

/**
 * Real clients whose `send` is stubbed: commands are built exactly as in production and recorded. `sent()` lists
 * every command of every client in the order they were sent.
 */
export function createMockedContainerPlatform() {
  const config = { region: 'ap-northeast-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } };
  const clients: AwsContainerClients = {
    ecs: new ECSClient(config),
    elb: new ElasticLoadBalancingClient(config),
    route53: new Route53Client(config),
    events: new EventBridgeClient(config),
    ec2: new EC2Client(config),
  };
  const mocks = {
    ecs: mockClient(clients.ecs),
    elb: mockClient(clients.elb),
    route53: mockClient(clients.route53),
    events: mockClient(clients.events),
    ec2: mockClient(clients.ec2),
  };
  const sent = () =>
    [
      ...mocks.ecs.calls(),
      ...mocks.elb.calls(),
      ...mocks.route53.calls(),
      ...mocks.events.calls(),
      ...mocks.ec2.calls(),
    ]
      .sort((a, b) => (a.calledBefore(b) ? -1 : 1))
      .map((call) => {
        const command = call.args[0] as { constructor: { name: string }; input: unknown };
        return { command: command.constructor.name.replace(/Command$/, ''), input: command.input };
      });
  const platform = createAwsContainerPlatform({ clientsFor: () => clients });
  return { platform, cluster: platform.forDistrict(district), mocks, sent };
}

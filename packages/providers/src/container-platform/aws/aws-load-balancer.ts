import { DescribeSubnetsCommand } from '@aws-sdk/client-ec2';
import type { LoadBalancerDescription } from '@aws-sdk/client-elastic-load-balancing';
import {
  ConfigureHealthCheckCommand,
  CreateLoadBalancerCommand,
  DeleteLoadBalancerCommand,
  DescribeLoadBalancersCommand,
  ModifyLoadBalancerAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing';
import { ProviderError } from '../../core/compute';
import type { ContainerDistrict, EnsureLoadBalancerInput, LoadBalancerRef } from '../container-platform';
import { loadBalancerNameOf } from '../names';
import { callAws, unlessAws } from './aws-call';
import type { AwsContainerClients } from './aws-container-clients';
import { recordNameIn, upsertServiceRecord } from './aws-dns';

export async function describeLoadBalancer(
  clients: AwsContainerClients,
  name: string,
): Promise<LoadBalancerDescription | undefined> {
  const described = await unlessAws(['AccessPointNotFoundException', 'LoadBalancerNotFound'], undefined, () =>
    callAws('ELB DescribeLoadBalancers', () =>
      clients.elb.send(new DescribeLoadBalancersCommand({ LoadBalancerNames: [name] })),
    ),
  );
  return described?.LoadBalancerDescriptions?.[0];
}

/** The VPC's subnets tagged `Network=Public` (internet-facing balancers) or `Network=Private` (internal). */
async function subnetsFor(
  clients: AwsContainerClients,
  district: ContainerDistrict,
  isPublic: boolean,
): Promise<string[]> {
  const vpcId = district.vpcId;
  if (!vpcId) {
    throw new ProviderError(`district ${district.name} has no vpc_id for its load balancers`, {
      retryable: false,
      code: 'DISTRICT_INCOMPLETE',
    });
  }
  const described = await callAws('EC2 DescribeSubnets', () =>
    clients.ec2.send(
      new DescribeSubnetsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpcId] },
          { Name: 'tag:Network', Values: [isPublic ? 'Public' : 'Private'] },
        ],
      }),
    ),
  );
  const subnets = (described.Subnets ?? []).flatMap((subnet) => (subnet.SubnetId ? [subnet.SubnetId] : []));
  if (subnets.length > 0) return subnets;
  throw new ProviderError(`no subnet tagged Network=${isPublic ? 'Public' : 'Private'} in ${vpcId}`, {
    retryable: false,
    code: 'NO_SUBNET',
  });
}

/**
 * Barcelona's classic ELB: TCP listeners lb_port → host port, internet-facing when public else internal, a TCP
 * health check on the first host port (interval 5, timeout 4, thresholds 2/2), connection draining 300 s, and a
 * CNAME `<service>.<app>.<zone>` to it. Found by name first, so a retried step creates nothing twice; the health
 * check, draining and record are set again every time (each call is idempotent).
 */
export async function ensureLoadBalancer(
  clients: AwsContainerClients,
  district: ContainerDistrict,
  input: EnsureLoadBalancerInput,
): Promise<LoadBalancerRef> {
  const LoadBalancerName = loadBalancerNameOf(input);
  const [first] = input.portMappings;
  if (!first) throw new ProviderError('a load balancer needs a port mapping', { retryable: false, code: 'INVALID' });
  let dnsName = (await describeLoadBalancer(clients, LoadBalancerName))?.DNSName;
  if (!dnsName) {
    const securityGroup = input.public ? district.publicElbSecurityGroup : district.privateElbSecurityGroup;
    const subnets = await subnetsFor(clients, district, input.public);
    const created = await callAws('ELB CreateLoadBalancer', () =>
      clients.elb.send(
        new CreateLoadBalancerCommand({
          LoadBalancerName,
          Subnets: subnets,
          Scheme: input.public ? 'internet-facing' : 'internal',
          SecurityGroups: securityGroup ? [securityGroup] : undefined,
          Listeners: input.portMappings.map((mapping) => ({
            Protocol: 'TCP',
            LoadBalancerPort: mapping.lbPort,
            InstanceProtocol: 'TCP',
            InstancePort: mapping.hostPort,
          })),
        }),
      ),
    );
    dnsName = created.DNSName ?? '';
  }
  await callAws('ELB ConfigureHealthCheck', () =>
    clients.elb.send(
      new ConfigureHealthCheckCommand({
        LoadBalancerName,
        HealthCheck: {
          Target: `TCP:${first.hostPort}`,
          Interval: 5,
          Timeout: 4,
          UnhealthyThreshold: 2,
          HealthyThreshold: 2,
        },
      }),
    ),
  );
  await callAws('ELB ModifyLoadBalancerAttributes', () =>
    clients.elb.send(
      new ModifyLoadBalancerAttributesCommand({
        LoadBalancerName,
        LoadBalancerAttributes: { ConnectionDraining: { Enabled: true, Timeout: 300 } },
      }),
    ),
  );
  const recordName = await recordNameIn(clients, district, input);
  await upsertServiceRecord(clients, district, recordName, dnsName);
  return {
    name: LoadBalancerName,
    dnsName,
    recordName,
    containerName: input.service,
    containerPort: first.containerPort,
  };
}

/** Deleting a balancer that is gone succeeds on ELB already. */
export async function deleteLoadBalancer(clients: AwsContainerClients, name: string): Promise<void> {
  await callAws('ELB DeleteLoadBalancer', () =>
    clients.elb.send(new DeleteLoadBalancerCommand({ LoadBalancerName: name })),
  );
}

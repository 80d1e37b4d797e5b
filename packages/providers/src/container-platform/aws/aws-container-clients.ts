import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { Route53Client } from '@aws-sdk/client-route-53';
import type { ContainerDistrict } from '../container-platform';

/** The clients one district's calls go through. */
export interface AwsContainerClients {
  ecs: ECSClient;
  elb: ElasticLoadBalancingClient;
  route53: Route53Client;
  events: EventBridgeClient;
  /** For the subnets a load balancer goes in (Barcelona's `Network` tag). */
  ec2: EC2Client;
}

export interface AwsContainerOptions {
  /** Region of districts that name none. */
  region?: string;
  /**
   * Attempts per call, throttling included: the SDK's standard retry strategy backs off exponentially with jitter
   * (longer for throttling errors) between them. A call that still fails is a retryable ProviderError.
   */
  maxAttempts?: number;
  /** Build the clients of a district (tests inject mocked ones). */
  clientsFor?: (district: ContainerDistrict) => AwsContainerClients;
}

/** Clients with the district's own credentials (Barcelona's per-district keys), or the default chain. */
export function createAwsContainerClients(
  district: ContainerDistrict,
  options: AwsContainerOptions,
): AwsContainerClients {
  const region = district.region ?? options.region;
  if (!region) throw new TypeError(`aws container platform: district "${district.name}" names no region`);
  const config = {
    region,
    maxAttempts: options.maxAttempts ?? 5,
    retryMode: 'standard',
    ...(district.credentials ? { credentials: district.credentials } : {}),
  };
  return {
    ecs: new ECSClient(config),
    elb: new ElasticLoadBalancingClient(config),
    route53: new Route53Client(config),
    events: new EventBridgeClient(config),
    ec2: new EC2Client(config),
  };
}

import type { EC2Client } from '@aws-sdk/client-ec2';
import type { SizeClass } from '../core/machine-types';
import type { AwsAutoscalingClients } from './autoscaling-groups';

export type InstanceSize = SizeClass;

/** Operator configuration of the EC2 compute provider (decrypted from the provider row). */
export interface AwsComputeConfig {
  region: string;
  /** Inject a client (tests, custom credentials chain); otherwise one is built from region + credentials. */
  client?: EC2Client;
  /** Inject Auto Scaling, CloudWatch and SNS clients (tests); otherwise built like the EC2 client. */
  autoscalingClients?: AwsAutoscalingClients;
  /** Static credentials; when absent the SDK's default chain (env, instance role) applies. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Overcast size class → EC2 instance type. */
  instanceTypes?: Partial<Record<InstanceSize, string>>;
  /** Used when a create names no subnet (pudding's VPC support). */
  subnetId?: string;
  /** Used when a create names no security group. */
  securityGroupIds?: string[];
  /** VPC of the SSH security groups; the account's default VPC when absent. */
  vpcId?: string;
  /** Source range of the SSH rule; pudding opened 0.0.0.0/0. */
  sshIngressCidr?: string;
  /** Report the private address instead of the public one (instances without public IPs). */
  usePrivateIp?: boolean;
}

export const defaultInstanceTypes: Record<InstanceSize, string> = { standard: 't3.medium', premium: 'c5.xlarge' };

export interface ResolvedAwsConfig extends AwsComputeConfig {
  instanceTypes: Record<InstanceSize, string>;
  sshIngressCidr: string;
}

export function resolveAwsConfig(config: AwsComputeConfig): ResolvedAwsConfig {
  if (!config.region) throw new TypeError('aws provider config: "region" is required');
  return {
    ...config,
    instanceTypes: { ...defaultInstanceTypes, ...config.instanceTypes },
    sshIngressCidr: config.sshIngressCidr ?? '0.0.0.0/0',
  };
}

import { createHash } from 'node:crypto';
import { AppError, type DistrictTarget } from '@overcast/contracts';
import type { ContainerDistrict, ContainerPlatform, DistrictPlatform, ProviderRegistry } from '@overcast/providers';
import type { AppStore, Clock } from './ports';
import type { DistrictRef } from './records';
import type { SecretBox } from './secret-box';

export type ContainerPlatforms = ProviderRegistry<ContainerPlatform>;

export interface DomainLogger {
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

/** Test-only: called at named points of a deploy; a test throws there, as if the process died at that point. */
export type CrashPoint = (name: string) => void | Promise<void>;

export interface WorkflowSettings {
  /** Give up on a deploy whose services have not settled after this long (Barcelona: ≈1000 s). */
  deployTimeoutMs: number;
  /** First pause between looks at a deploying service or a running task; doubles up to 1 s. */
  pollIntervalMs: number;
  /** How long `sync` one-offs are waited for before the answer. */
  syncOneoffWaitMs: number;
  /** The broker image container instances boot from. */
  containerInstanceImage: string;
}

/** The instance broker, reached over the bus. */
export interface InstanceBroker {
  createInstance(request: {
    tenantId: string;
    provider: string;
    image: string;
    instanceType: string;
    site: string;
    role: string;
    idempotencyKey: string;
  }): Promise<{ id: string; state: string; instanceType: string; ipAddress: string | null }>;
}

export interface DomainContext {
  store: AppStore;
  platforms: ContainerPlatforms;
  secrets: SecretBox;
  clock: Clock;
  logger: DomainLogger;
  settings: WorkflowSettings;
  broker: InstanceBroker;
  crashPoint: CrashPoint;
}

export function credentialsAssociatedData(districtName: string): string {
  return `district:${districtName}:aws-credentials`;
}

/**
 * The cluster's name: the district's own on aws (its own AWS account, as Barcelona named ECS clusters); elsewhere
 * one machine or one fake serves every tenant, so the tenant's hash keeps two tenants' `default` districts apart.
 */
export function clusterNameOf(tenantId: string, district: { name: string; provider: string }): string {
  if (district.provider === 'aws') return district.name;
  return `${district.name}-${createHash('sha256').update(tenantId).digest('hex').slice(0, 8)}`;
}

function awsField(aws: Record<string, string | null>, key: string): string | undefined {
  return aws[key] ?? undefined;
}

/** `unprocessable`, naming the field, when this process runs no platform for `provider`. */
export function assertPlatform(context: DomainContext, provider: string): void {
  if (context.platforms.has(provider)) return;
  throw new AppError('unprocessable', `This Overcast runs no ${provider} container platform.`, {
    details: [{ path: 'body.provider', message: `must be one of: ${context.platforms.names().join(', ')}` }],
  });
}

/** The platform of a district (or of a district row already gone, from a job's message). */
export function platformOf(
  context: DomainContext,
  tenantId: string,
  district: DistrictRef | DistrictTarget,
): DistrictPlatform {
  assertPlatform(context, district.provider);
  const sealed = district.sealedCredentials;
  const { aws } = district;
  const target: ContainerDistrict = {
    name: clusterNameOf(tenantId, district),
    region: awsField(aws, 'region'),
    vpcId: awsField(aws, 'vpc_id'),
    publicElbSecurityGroup: awsField(aws, 'public_elb_security_group'),
    privateElbSecurityGroup: awsField(aws, 'private_elb_security_group'),
    instanceSecurityGroup: awsField(aws, 'instance_security_group'),
    ecsServiceRole: awsField(aws, 'ecs_service_role'),
    ecsInstanceRole: awsField(aws, 'ecs_instance_role'),
    privateHostedZoneId: awsField(aws, 'private_hosted_zone_id'),
    s3BucketName: awsField(aws, 's3_bucket_name'),
    ...(sealed
      ? {
          credentials: JSON.parse(context.secrets.open(sealed, credentialsAssociatedData(district.name))) as {
            accessKeyId: string;
            secretAccessKey: string;
          },
        }
      : {}),
  };
  return context.platforms.get(district.provider).forDistrict(target);
}

export function notFound(what: string, name: string): AppError {
  return new AppError('not_found', `No ${what} named ${name}.`);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

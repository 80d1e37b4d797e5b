import { z } from 'zod';
import { Timestamp } from '../instances/instance';

/** The service that owns districts, apps (Barcelona's heritages), their services, env vars, releases and deploys. */
export const APP_MANAGER_SERVICE = 'app-manager';

/**
 * Barcelona's later name rule (2015-12-01) for apps and services; districts follow it too. The wire shapes in
 * this domain are Barcelona's own (snake_case, as its serializers wrote them): the gateway only adds the root key.
 */
export const AppName = z
  .string()
  .max(100)
  .regex(
    /^[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]$/,
    'must be letters, digits and dashes, not starting or ending with a dash',
  );

export const ContainerProvider = z.enum(['aws', 'local', 'fake']);
export type ContainerProvider = z.infer<typeof ContainerProvider>;

const AwsText = z.string().max(255);

/** Barcelona's AWS fields of a district; `local` and `fake` districts need none of them. */
export const DistrictAwsFields = z.object({
  region: AwsText.nullable().optional(),
  vpc_id: AwsText.nullable().optional(),
  public_elb_security_group: AwsText.nullable().optional(),
  private_elb_security_group: AwsText.nullable().optional(),
  instance_security_group: AwsText.nullable().optional(),
  ecs_service_role: AwsText.nullable().optional(),
  ecs_instance_role: AwsText.nullable().optional(),
  private_hosted_zone_id: AwsText.nullable().optional(),
  s3_bucket_name: AwsText.nullable().optional(),
  logentries_token: AwsText.nullable().optional(),
});

export const ContainerInstance = z.object({
  id: z.string(),
  state: z.string(),
  instance_type: z.string(),
  ip_address: z.string().nullable(),
});

export const District = DistrictAwsFields.required().extend({
  name: AppName,
  provider: ContainerProvider,
  /** The write-only credentials are never shown; this says whether they are set. */
  aws_credentials_set: z.boolean(),
  container_instances: z.array(ContainerInstance),
  heritages: z.array(z.string()),
  apps: z.array(z.string()),
  created_at: Timestamp,
});
export type District = z.infer<typeof District>;

export const PortMapping = z.object({
  lb_port: z.number().int().min(1).max(65_535),
  container_port: z.number().int().min(1).max(65_535),
});
export type PortMapping = z.infer<typeof PortMapping>;

/** Barcelona's ECS status mapping. */
export const AppServiceStatus = z.enum(['not_created', 'inactive', 'deploying', 'active', 'unknown']);
export type AppServiceStatus = z.infer<typeof AppServiceStatus>;

export const AppService = z.object({
  name: AppName,
  public: z.boolean(),
  command: z.string().nullable(),
  cpu: z.number().int(),
  memory: z.number().int(),
  scale: z.number().int(),
  schedule: z.string().nullable(),
  endpoint: z.object({ name: z.string(), dns_name: z.string() }).nullable(),
  status: AppServiceStatus,
  port_mappings: z.array(PortMapping),
});
export type AppService = z.infer<typeof AppService>;

export const App = z.object({
  name: AppName,
  image_name: z.string().nullable(),
  image_tag: z.string().nullable(),
  /** Shown as Barcelona did; sealed at rest (AES-256-GCM). */
  env_vars: z.record(z.string(), z.string()),
  before_deploy: z.string().nullable(),
  slack_url: z.string().nullable(),
  services: z.array(AppService),
  district: z.string(),
  /** The newest release and the state of its deploy. */
  release: z.number().int(),
  deploy_state: z.string().nullable(),
});
export type App = z.infer<typeof App>;

export const OneoffStatus = z.enum(['pending', 'running', 'stopped']);

export const Oneoff = z.object({
  id: z.uuid(),
  task_arn: z.string().nullable(),
  command: z.string(),
  status: OneoffStatus,
  exit_code: z.number().int().nullable(),
  reason: z.string().nullable(),
  /** The task's output where the provider keeps it (local); null elsewhere. */
  output: z.string().nullable(),
  heritage: z.string(),
  app: z.string(),
  created_at: Timestamp,
});
export type Oneoff = z.infer<typeof Oneoff>;

export const Release = z.object({
  version: z.number().int().positive(),
  description: z.string(),
  image: z.string().nullable(),
  /** Keys only: a release never shows values. */
  env_keys: z.array(z.string()),
  services: z.array(z.object({ name: z.string(), scale: z.number().int(), command: z.string().nullable() })),
  deploy_state: z.string().nullable(),
  created_at: Timestamp,
});
export type Release = z.infer<typeof Release>;

export const EventLevel = z.enum(['good', 'warn', 'error']);
export type EventLevel = z.infer<typeof EventLevel>;

export const DeployEvent = z.object({
  uuid: z.uuid(),
  level: EventLevel,
  message: z.string(),
  release: z.number().int().nullable(),
  created_at: Timestamp,
});
export type DeployEvent = z.infer<typeof DeployEvent>;

/** One difference between what the provider runs and the last applied release. */
export const DriftItem = z.object({
  path: z.string(),
  expected: z.unknown(),
  actual: z.unknown(),
});
export type DriftItem = z.infer<typeof DriftItem>;

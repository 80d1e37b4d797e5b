/**
 * The container-platform interface every provider implements (aws: ECS + classic ELB + Route53 + EventBridge;
 * local: supervised processes behind a local load balancer; fake: in memory). A provider is bound to one
 * district with `forDistrict`; every call on the binding is idempotent by construction: resources are named
 * deterministically from the app and service (`<app>-<service>`), so a retried call finds what an earlier try
 * made instead of making a second one, and deleting what is already gone is success.
 */

/** A district as a provider needs it. aws reads the AWS fields; local and fake need only the name. */
export interface ContainerDistrict {
  /** The cluster's name (ECS cluster name on aws). */
  name: string;
  region?: string;
  vpcId?: string;
  publicElbSecurityGroup?: string;
  privateElbSecurityGroup?: string;
  instanceSecurityGroup?: string;
  /** IAM role ECS uses to register tasks with the load balancer (CreateService `role`). */
  ecsServiceRole?: string;
  ecsInstanceRole?: string;
  /** IAM role EventBridge assumes to run cron services' tasks (ecs:RunTask); ecsServiceRole when absent. */
  scheduleRoleArn?: string;
  /** Route53 private hosted zone holding the services' CNAMEs. */
  privateHostedZoneId?: string;
  s3BucketName?: string;
  /** Decrypted only on the deploy path; never logged. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** One app service, the unit every per-service call addresses. Names follow Barcelona's rule. */
export interface ServiceKey {
  app: string;
  service: string;
}

export interface PortMapping {
  /** Port the service's load balancer listens on. */
  lbPort: number;
  /** Port the container listens on. */
  containerPort: number;
  /** Port on the container instance (aws: ELB listener's instance port, 10000..19999 chosen by the app manager). */
  hostPort: number;
}

export interface TaskDefinitionInput extends ServiceKey {
  /** `image_name:image_tag` (aws: a registry image; local: a catalog image name, the tag ignored). */
  image: string;
  cpu: number;
  memory: number;
  /** Split on spaces. On local it is handed to the catalog image's program as arguments, never run itself. */
  command: string | null;
  /** Decrypted env vars of the release. */
  env: Record<string, string>;
  portMappings: PortMapping[];
  /** Release version the tasks run (visible to them as OVERCAST_RELEASE). */
  release: number;
}

export interface TaskDefinitionRef {
  /** `<app>-<service>`. */
  family: string;
  revision: number;
  /** What `ensureService` and `runTask` take: the ARN on aws, `family:revision` elsewhere. */
  id: string;
}

export interface EnsureServiceInput extends ServiceKey {
  taskDefinition: string;
  desiredCount: number;
  /**
   * Idempotency token of the create (ECS clientToken, ≤ 36 ASCII characters): a retried create with the same
   * token never makes a second service. The app manager passes one per deploy step.
   */
  clientToken: string;
  /** Attached on create only (ECS cannot change a service's load balancer); omit for a service without ports. */
  loadBalancer?: LoadBalancerRef;
}

export interface ServiceRef {
  /** `<app>-<service>`. */
  name: string;
  /** ARN on aws. */
  id: string;
  /** True when this call created the service, false when it updated an existing one. */
  created: boolean;
}

export interface EnsureLoadBalancerInput extends ServiceKey {
  /** internet-facing when true, internal otherwise. */
  public: boolean;
  /** At least one; listeners lb_port → host port, health check on the first mapping's host port. */
  portMappings: PortMapping[];
}

export interface LoadBalancerRef {
  /** The load balancer's name (`<app>-<service>`, at most 32 characters on aws). */
  name: string;
  /** Where clients reach it: the ELB's DNS name on aws, `address:port` of the local balancer. */
  dnsName: string;
  /** The DNS record pointing at it (`<service>.<app>.<zone>` on aws), or null where there is none. */
  recordName: string | null;
  /** The container and port the balancer sends to (ECS `loadBalancers[]`). */
  containerName: string;
  containerPort: number;
}

export interface LoadBalancerListener {
  protocol: string;
  lbPort: number;
  instancePort: number;
}

export interface ServiceDeployment {
  /** ECS's PRIMARY (the newest) or ACTIVE (still draining an older task definition). */
  status: string;
  taskDefinition: string;
  desiredCount: number;
  runningCount: number;
}

/** What the platform runs now, for status and drift. */
export interface LiveServiceState extends ServiceKey {
  name: string;
  /** ECS service status: ACTIVE, DRAINING or INACTIVE. */
  status: string;
  desiredCount: number;
  runningCount: number;
  taskDefinition: string;
  image: string | null;
  command: string | null;
  /** Keys only: values never leave the deploy path. */
  envKeys: string[];
  deployments: ServiceDeployment[];
  loadBalancer: { name: string; dnsName: string; listeners: LoadBalancerListener[] } | null;
}

/** Barcelona's service status, shown by the API. */
export type ServiceStatus = 'not_created' | 'inactive' | 'deploying' | 'active' | 'unknown';

export interface RunTaskInput {
  app: string;
  /** Usually the `<app>-oneoff` family registered for the run, or a cron service's own. */
  taskDefinition: string;
  /** Overrides the task definition's command (split on spaces). */
  command?: string | null;
  /** Added to the task definition's env. */
  env?: Record<string, string>;
  /** Idempotency token (ECS startedBy/clientToken): a retried run with the same token starts no second task. */
  clientToken: string;
}

/** ECS lastStatus. */
export type TaskStatus = 'PENDING' | 'RUNNING' | 'STOPPED';

export interface TaskState {
  /** Task ARN on aws. */
  id: string;
  status: TaskStatus;
  exitCode: number | null;
  /** Why it stopped, when it did. */
  reason: string | null;
  /** Captured stdout and stderr where the provider keeps them (local, fake); null on aws. */
  output: string | null;
}

export interface ScheduleTaskInput extends ServiceKey {
  /** A schedule `parseSchedule` reads (five-field cron, EventBridge's `cron(…)` or `rate(…)`), UTC. */
  schedule: string;
  taskDefinition: string;
  command?: string | null;
}

export interface ScheduleRef {
  /** `<app>-<service>` (EventBridge rule name on aws). */
  name: string;
  /**
   * `provider`: the platform fires the task itself (EventBridge). `overcast`: the app manager's durable scheduler
   * must call `runTask` at each tick (local, fake).
   */
  triggeredBy: 'provider' | 'overcast';
}

export interface ContainerInstance {
  id: string;
  /** EC2 instance id on aws; null elsewhere. */
  instanceId: string | null;
  status: string;
  runningTasks: number;
  pendingTasks: number;
}

/** One district's platform. */
export interface DistrictPlatform {
  /** Create the cluster, or find the one already there. */
  ensureCluster(): Promise<void>;
  /** Delete the cluster; a missing one is success. Services must be deleted first. */
  deleteCluster(): Promise<void>;
  listContainerInstances(): Promise<ContainerInstance[]>;
  /** Register a new revision of family `<app>-<service>` (every call is a new revision, as on ECS). */
  registerTaskDefinition(input: TaskDefinitionInput): Promise<TaskDefinitionRef>;
  /** Create the load balancer and its DNS record, or find them (ensuring listeners and health check again). */
  ensureLoadBalancer(input: EnsureLoadBalancerInput): Promise<LoadBalancerRef>;
  /** Update the service when it is ACTIVE, else create it with the client token. */
  ensureService(input: EnsureServiceInput): Promise<ServiceRef>;
  /** Change only the desired count; ProviderError code SERVICE_NOT_FOUND when there is no active service. */
  scaleService(key: ServiceKey, desiredCount: number): Promise<void>;
  /** null when the service does not exist (or is INACTIVE and forgotten). */
  describeService(key: ServiceKey): Promise<LiveServiceState | null>;
  /** Scale to 0, delete the service, its load balancer and DNS record, and its schedule; what is gone is skipped. */
  deleteService(key: ServiceKey): Promise<void>;
  runTask(input: RunTaskInput): Promise<TaskState>;
  /** null for an unknown task. */
  describeTask(id: string): Promise<TaskState | null>;
  /** Create or replace the service's schedule. */
  scheduleTask(input: ScheduleTaskInput): Promise<ScheduleRef>;
  /** Remove it; a missing schedule is success. */
  unscheduleTask(key: ServiceKey): Promise<void>;
}

export interface ContainerPlatform {
  /** Registry key and a district's `provider`: 'aws' | 'local' | 'fake'. */
  readonly name: string;
  /** Bind to one district. Cheap: no call to the platform. */
  forDistrict(district: ContainerDistrict): DistrictPlatform;
  /**
   * The image names its tasks can run (a local catalog's images with an entrypoint), so an app naming another is
   * refused when it is made; absent: any image name is taken (ECS pulls it; the fake runs anything).
   */
  runnableImages?(): string[];
  /** Release what the provider holds in this process (clients, timers, local tasks and balancers). */
  close?(): Promise<void>;
}

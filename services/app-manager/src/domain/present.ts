import type { App, AppService, DeployEvent, District, Oneoff, Release } from '@overcast/contracts';
import { loadBalancerNameOf, serviceStatusOf } from '@overcast/providers';
import { imagePath, type AppRecord, type DistrictRecord, type OneoffRecord, type ReleaseRecord } from './records';
import { type DomainContext, platformOf } from './context';

const awsFields = [
  'region',
  'vpc_id',
  'public_elb_security_group',
  'private_elb_security_group',
  'instance_security_group',
  'ecs_service_role',
  'ecs_instance_role',
  'private_hosted_zone_id',
  's3_bucket_name',
  'logentries_token',
] as const;

export function presentDistrict(district: DistrictRecord): District {
  const aws = Object.fromEntries(awsFields.map((field) => [field, district.aws[field] ?? null])) as Record<
    (typeof awsFields)[number],
    string | null
  >;
  return {
    ...aws,
    name: district.name,
    provider: district.provider as District['provider'],
    aws_credentials_set: district.sealedCredentials !== null,
    container_instances: district.containerInstances.map((instance) => ({
      id: instance.id,
      state: instance.state,
      instance_type: instance.instanceType,
      ip_address: instance.ipAddress,
    })),
    heritages: district.appNames,
    apps: district.appNames,
    created_at: district.createdAt.toISOString(),
  };
}

function presentService(app: AppRecord, service: AppRecord['services'][number], status: AppService['status']) {
  const key = { app: app.name, service: service.name };
  return {
    name: service.name,
    public: service.public,
    command: service.command,
    cpu: service.cpu,
    memory: service.memory,
    scale: service.scale,
    schedule: service.schedule,
    endpoint: service.endpointDns ? { name: loadBalancerNameOf(key), dns_name: service.endpointDns } : null,
    status,
    port_mappings: service.portMappings.map(({ lb_port, container_port }) => ({ lb_port, container_port })),
  };
}

function presentAppWith(app: AppRecord, services: AppService[]): App {
  return {
    name: app.name,
    image_name: app.imageName,
    image_tag: app.imageTag,
    env_vars: app.env,
    before_deploy: app.beforeDeploy,
    slack_url: app.slackUrl,
    services,
    district: app.district.name,
    release: app.release,
    deploy_state: app.deployState,
  };
}

/** An app with each service's live status from its district's platform (Barcelona asked ECS on every show). */
export async function presentApp(context: DomainContext, app: AppRecord): Promise<App> {
  const platform = platformOf(context, app.tenantId, app.district);
  const services: AppService[] = [];
  for (const service of app.services) {
    const live = service.schedule ? null : await platform.describeService({ app: app.name, service: service.name });
    // A done deploy of the newest release applied it: an app row read just before that deploy's commit, and its
    // deploys just after (two queries, two snapshots), must not show a scheduled service as never created.
    const applied = app.appliedRelease !== null || app.deployState === 'done';
    const scheduledStatus = applied ? 'active' : 'not_created';
    services.push(presentService(app, service, service.schedule ? scheduledStatus : serviceStatusOf(live)));
  }
  return presentAppWith(app, services);
}

/** An app just created, from what was written: nothing of it exists on the platform yet, so nothing is asked. */
export function presentCreatedApp(app: AppRecord): App {
  return presentAppWith(
    app,
    app.services.map((service) => presentService(app, service, 'not_created')),
  );
}

export function presentRelease(release: ReleaseRecord): Release {
  return {
    version: release.version,
    description: release.description,
    image: imagePath(release.spec),
    env_keys: Object.keys(release.env).sort(),
    services: release.spec.services.map(({ name, scale, command }) => ({ name, scale, command })),
    deploy_state: release.deployState,
    created_at: release.createdAt.toISOString(),
  };
}

export function presentEvent(event: {
  id: string;
  level: DeployEvent['level'];
  message: string;
  release: number | null;
  createdAt: Date;
}): DeployEvent {
  return {
    uuid: event.id,
    level: event.level,
    message: event.message,
    release: event.release,
    created_at: event.createdAt.toISOString(),
  };
}

export function presentOneoff(oneoff: OneoffRecord): Oneoff {
  return {
    id: oneoff.id,
    task_arn: oneoff.taskArn,
    command: oneoff.command,
    status: oneoff.status,
    exit_code: oneoff.exitCode,
    reason: oneoff.reason,
    output: oneoff.output,
    heritage: oneoff.appName,
    app: oneoff.appName,
    created_at: oneoff.createdAt.toISOString(),
  };
}

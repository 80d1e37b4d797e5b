import { z } from 'zod';
import { defineRpc } from '../catalog';
import { TenantScope } from '../platform';
import {
  App,
  APP_MANAGER_SERVICE,
  AppName,
  AppService,
  ContainerProvider,
  DeployEvent,
  District,
  DistrictAwsFields,
  DriftItem,
  Oneoff,
  PortMapping,
  Release,
} from './app';

/** Names arrive from URLs: any string is accepted and an unknown one is `not_found`, never a 500. */
const PathName = z.string().min(1).max(200);
const EnvKey = z.string().min(1).max(255);
const EnvVars = z.record(EnvKey, z.string().max(65_536));
const Command = z.string().min(1).max(4096);
const Empty = z.object({});

const DistrictFields = DistrictAwsFields.extend({
  provider: ContainerProvider.optional(),
  aws_access_key_id: z.string().max(255).nullable().optional(),
  aws_secret_access_key: z.string().max(255).nullable().optional(),
  dockercfg: z.unknown().optional(),
});

export const CreateDistrictRequest = TenantScope.extend(DistrictFields.shape).extend({ name: AppName });
export type CreateDistrictRequest = z.infer<typeof CreateDistrictRequest>;
export const UpdateDistrictRequest = TenantScope.extend(DistrictFields.shape).extend({ name: PathName });
export type UpdateDistrictRequest = z.infer<typeof UpdateDistrictRequest>;
const ByDistrict = TenantScope.extend({ name: PathName });
const ByApp = TenantScope.extend({ app: PathName });

/** `conflict` when the tenant has a district of that name; an aws district without its fields is `bad_request`. */
export const createDistrictRpc = defineRpc({
  type: 'district.create',
  service: APP_MANAGER_SERVICE,
  request: CreateDistrictRequest,
  response: District,
});
export const listDistrictsRpc = defineRpc({
  type: 'district.list',
  service: APP_MANAGER_SERVICE,
  request: TenantScope,
  response: z.object({ districts: z.array(District) }),
});
export const getDistrictRpc = defineRpc({
  type: 'district.get',
  service: APP_MANAGER_SERVICE,
  request: ByDistrict,
  response: District,
});
export const updateDistrictRpc = defineRpc({
  type: 'district.update',
  service: APP_MANAGER_SERVICE,
  request: UpdateDistrictRequest,
  response: District,
});
/** Deletes its apps too (their provider resources are removed by the delete workflow). */
export const deleteDistrictRpc = defineRpc({
  type: 'district.delete',
  service: APP_MANAGER_SERVICE,
  request: ByDistrict,
  response: Empty,
});
/** Asks the instance broker (over the bus, never EC2 directly) for `count` container instances. */
export const launchInstancesRpc = defineRpc({
  type: 'district.launch-instances',
  service: APP_MANAGER_SERVICE,
  request: ByDistrict.extend({
    count: z.number().int().min(1).max(100),
    instance_type: z.string().min(1).max(64).optional(),
  }),
  response: Empty,
});

export const ServiceInput = z.object({
  name: AppName,
  cpu: z.number().int().min(1).max(65_536).optional(),
  memory: z.number().int().min(1).max(1_048_576).optional(),
  command: z.string().max(4096).nullable().optional(),
  public: z.boolean().optional(),
  port_mappings: z.array(PortMapping).max(20).optional(),
  scale: z.number().int().min(0).max(1000).optional(),
  /** Five-field cron, EventBridge `cron(…)` or `rate(…)` (UTC): the service runs as a scheduled task instead of a long-running one. */
  schedule: z.string().max(200).nullable().optional(),
});
export type ServiceInput = z.infer<typeof ServiceInput>;

const AppFields = z.object({
  image_name: z.string().max(255).nullable().optional(),
  image_tag: z.string().max(128).nullable().optional(),
  before_deploy: z.string().max(4096).nullable().optional(),
  slack_url: z.string().max(2048).nullable().optional(),
  env_vars: EnvVars.optional(),
  services: z.array(ServiceInput).max(50).optional(),
});
export type AppFields = z.infer<typeof AppFields>;

export const CreateAppRequest = TenantScope.extend(AppFields.shape).extend({ district: PathName, name: AppName });
export type CreateAppRequest = z.infer<typeof CreateAppRequest>;
export const UpdateAppRequest = ByApp.extend(AppFields.shape);
export type UpdateAppRequest = z.infer<typeof UpdateAppRequest>;

/** Makes release 1 and starts its deploy; `conflict` on a taken name, `not_found` for an unknown district. */
export const createAppRpc = defineRpc({
  type: 'app.create',
  service: APP_MANAGER_SERVICE,
  request: CreateAppRequest,
  response: App,
});
export const listAppsRpc = defineRpc({
  type: 'app.list',
  service: APP_MANAGER_SERVICE,
  request: TenantScope.extend({ district: PathName.optional() }),
  response: z.object({ apps: z.array(App) }),
});
export const getAppRpc = defineRpc({ type: 'app.get', service: APP_MANAGER_SERVICE, request: ByApp, response: App });
/** Services matched by name; what the request leaves out is kept (Barcelona's update spec). A new release. */
export const updateAppRpc = defineRpc({
  type: 'app.update',
  service: APP_MANAGER_SERVICE,
  request: UpdateAppRequest,
  response: App,
});
export const deleteAppRpc = defineRpc({
  type: 'app.delete',
  service: APP_MANAGER_SERVICE,
  request: ByApp,
  response: Empty,
});

export const setEnvVarsRpc = defineRpc({
  type: 'app.env.set',
  service: APP_MANAGER_SERVICE,
  request: ByApp.extend({ env_vars: EnvVars }),
  response: App,
});
/** An unknown key is a no-op (the original answered 500). */
export const unsetEnvVarsRpc = defineRpc({
  type: 'app.env.unset',
  service: APP_MANAGER_SERVICE,
  request: ByApp.extend({ env_keys: z.array(EnvKey).max(1000) }),
  response: App,
});
export const scaleServiceRpc = defineRpc({
  type: 'app.service.scale',
  service: APP_MANAGER_SERVICE,
  request: ByApp.extend({ service: PathName, scale: z.number().int().min(0).max(1000) }),
  response: AppService,
});

export const runOneoffRpc = defineRpc({
  type: 'oneoff.run',
  service: APP_MANAGER_SERVICE,
  request: ByApp.extend({
    command: Command,
    image_tag: z.string().max(128).optional(),
    env_vars: EnvVars.optional(),
    /** Wait (a few seconds at most) for the task to stop before answering. */
    sync: z.boolean().optional(),
  }),
  response: Oneoff,
});
export const getOneoffRpc = defineRpc({
  type: 'oneoff.get',
  service: APP_MANAGER_SERVICE,
  request: TenantScope.extend({ id: PathName }),
  response: Oneoff,
});

export const listReleasesRpc = defineRpc({
  type: 'release.list',
  service: APP_MANAGER_SERVICE,
  request: ByApp,
  response: z.object({ releases: z.array(Release) }),
});
const ByRelease = ByApp.extend({ version: z.number().int().min(1).max(2_147_483_647) });
export const getReleaseRpc = defineRpc({
  type: 'release.get',
  service: APP_MANAGER_SERVICE,
  request: ByRelease,
  response: Release,
});
/** A new release equal to `version`, deployed. */
export const rollbackReleaseRpc = defineRpc({
  type: 'release.rollback',
  service: APP_MANAGER_SERVICE,
  request: ByRelease,
  response: Release,
});

export const listAppEventsRpc = defineRpc({
  type: 'app.events',
  service: APP_MANAGER_SERVICE,
  request: ByApp.extend({ limit: z.number().int().min(1).max(500).optional() }),
  response: z.object({ events: z.array(DeployEvent) }),
});
export const appDriftRpc = defineRpc({
  type: 'app.drift',
  service: APP_MANAGER_SERVICE,
  request: ByApp,
  response: z.object({ release: z.number().int().nullable(), drift: z.array(DriftItem) }),
});

import { z } from 'zod';
import { defineRpc } from '../catalog';
import { TenantScope } from '../platform';
import { INSTANCE_BROKER_SERVICE, InstanceType, PlacementLabel, ProviderName } from './instance';
import { InstanceLifecycleTransition } from './events';
import { InstanceBuild, MAX_INSTANCE_BUILD_COUNT, SlackChannel } from './instance-build';

const BuildId = z.string().min(1).max(200);

/** pudding's own validation messages, which its clients print. */
function requiredLabel(field: string) {
  return PlacementLabel.min(1, `empty "${field}" param`);
}

export const CreateInstanceBuildRequest = TenantScope.extend({
  site: requiredLabel('site'),
  env: requiredLabel('env'),
  /** pudding defaulted the role to `worker`; the gateway does the same when the body omits it. */
  role: requiredLabel('role'),
  queue: requiredLabel('queue'),
  instanceType: InstanceType,
  /** The VM concurrency given to the init script (pudding's `Count`); a build boots one instance. */
  count: z.number().int().min(1, 'count must be more than 0').max(MAX_INSTANCE_BUILD_COUNT),
  /** Defaults to the broker's default provider (config). */
  provider: ProviderName.optional(),
  /** pudding's `ami`: else the newest active catalog image for the role, else the provider's newest. */
  image: z.string().min(1).max(255).optional(),
  slackChannel: SlackChannel.optional(),
  subnetId: z.string().min(1).max(255).optional(),
  /** Else a security group opening TCP 22 is ensured on the provider. */
  securityGroupId: z.string().min(1).max(255).optional(),
  /** false: only render and store the init script. */
  bootInstance: z.boolean(),
  /** Public base URL of the gateway; instances fetch `<gatewayUrl>/init-scripts/<id>` with per-build credentials. */
  gatewayUrl: z.url({ protocol: /^https?$/ }),
});
export type CreateInstanceBuildRequest = z.infer<typeof CreateInstanceBuildRequest>;

/** Answers the build in `pending` (HTTP 202); a worker resolves the image and starts the instances. */
export const createInstanceBuildRpc = defineRpc({
  type: 'instance-build.create',
  service: INSTANCE_BROKER_SERVICE,
  request: CreateInstanceBuildRequest,
  response: InstanceBuild,
});

export const GetInstanceBuildRequest = TenantScope.extend({ id: BuildId });
export type GetInstanceBuildRequest = z.infer<typeof GetInstanceBuildRequest>;

export const getInstanceBuildRpc = defineRpc({
  type: 'instance-build.get',
  service: INSTANCE_BROKER_SERVICE,
  request: GetInstanceBuildRequest,
  response: InstanceBuild,
});

export const UpdateInstanceBuildRequest = TenantScope.extend({
  id: BuildId,
  /** Any value is accepted (pudding's clients send `started`, …); only `finished` does something. */
  state: z.string().max(64),
  instanceId: z.string().min(1).max(255).optional(),
  slackChannel: SlackChannel.optional(),
});
export type UpdateInstanceBuildRequest = z.infer<typeof UpdateInstanceBuildRequest>;

export const UpdateInstanceBuildResponse = z.object({
  /** true when `state` was `finished` and a notification was queued (pudding `{"sure":"why not"}`, else `{"no":"op"}`). */
  notified: z.boolean(),
});
export type UpdateInstanceBuildResponse = z.infer<typeof UpdateInstanceBuildResponse>;

export const updateInstanceBuildRpc = defineRpc({
  type: 'instance-build.update',
  service: INSTANCE_BROKER_SERVICE,
  request: UpdateInstanceBuildRequest,
  response: UpdateInstanceBuildResponse,
});

/**
 * Either the caller's tenant (token auth) or the per-build secret from Basic `x:<secret>` (init-script
 * auth, checked against a salted hash and its expiry). An unknown build, another tenant's build, and a
 * wrong or expired secret all answer `not_found` (nothing tells a prober which builds exist).
 */
export const GetInitScriptRequest = z
  .object({
    buildId: BuildId,
    tenantId: z.string().min(1).optional(),
    secret: z.string().min(1).max(255).optional(),
  })
  .refine((request) => request.tenantId !== undefined || request.secret !== undefined, {
    message: 'either tenantId or secret is required',
    path: ['secret'],
  });
export type GetInitScriptRequest = z.infer<typeof GetInitScriptRequest>;

export const InitScript = z.object({
  /** Served as `text/x-shellscript; charset=utf-8`. */
  script: z.string(),
});
export type InitScript = z.infer<typeof InitScript>;

export const getInitScriptRpc = defineRpc({
  type: 'init-script.get',
  service: INSTANCE_BROKER_SERVICE,
  request: GetInitScriptRequest,
  response: InitScript,
});

/**
 * pudding's `POST /instance-launches/{build}` and `/instance-terminations/{build}`: an instance of the build reports
 * it is in or out of service. Authenticated like the init script (the caller's tenant, or the build's secret): an
 * unknown build, another tenant's or a wrong secret is `not_found`. Records the transition (an event) and queues
 * pudding's notice to `slackChannel`, else the build's channel.
 */
export const ReportInstanceLifecycleRequest = z
  .object({
    buildId: BuildId,
    tenantId: z.string().min(1).optional(),
    secret: z.string().min(1).max(255).optional(),
    transition: InstanceLifecycleTransition,
    /** Any text the instance sends (pudding took it as given); the empty string when its script found none. */
    instanceId: z.string().max(255),
    slackChannel: SlackChannel.optional(),
  })
  .refine((request) => request.tenantId !== undefined || request.secret !== undefined, {
    message: 'either tenantId or secret is required',
    path: ['secret'],
  });
export type ReportInstanceLifecycleRequest = z.infer<typeof ReportInstanceLifecycleRequest>;

export const ReportInstanceLifecycleResponse = z.object({ instanceId: z.string() });
export type ReportInstanceLifecycleResponse = z.infer<typeof ReportInstanceLifecycleResponse>;

export const reportInstanceLifecycleRpc = defineRpc({
  type: 'instance-build.report-lifecycle',
  service: INSTANCE_BROKER_SERVICE,
  request: ReportInstanceLifecycleRequest,
  response: ReportInstanceLifecycleResponse,
});

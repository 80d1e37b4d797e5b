import { z } from 'zod';
import { defineCommand, defineEvent } from '../catalog';
import { APP_MANAGER_SERVICE } from './app';

/** The app manager's own work queue. Each job is safe to run more than once (persisted steps, client tokens). */

export const AdvanceDeploy = z.object({ tenantId: z.string().min(1), deployId: z.uuid() });
export type AdvanceDeploy = z.infer<typeof AdvanceDeploy>;

/** Run a deploy from the step it last committed to its end (done, failed or timed out). */
export const advanceDeployCommand = defineCommand({
  type: 'app.deploy.advance',
  service: APP_MANAGER_SERVICE,
  schema: AdvanceDeploy,
});

export const RunOneoffTask = z.object({ tenantId: z.string().min(1), oneoffId: z.uuid() });
export type RunOneoffTask = z.infer<typeof RunOneoffTask>;

/** Start a one-off's task (its id is the provider's client token) and follow it until it stops. */
export const runOneoffTaskCommand = defineCommand({
  type: 'oneoff.start',
  service: APP_MANAGER_SERVICE,
  schema: RunOneoffTask,
});

/** Where an app ran, carried in the message: its district row may be gone by the time the job runs. */
export const DistrictTarget = z.object({
  name: z.string(),
  provider: z.string(),
  aws: z.record(z.string(), z.string().nullable()),
  /** Still sealed (AES-256-GCM): opened only by the job that needs it. */
  sealedCredentials: z.string().nullable(),
});
export type DistrictTarget = z.infer<typeof DistrictTarget>;

export const RemoveApp = z.object({
  tenantId: z.string().min(1),
  district: DistrictTarget,
  app: z.string(),
  services: z.array(z.string()),
});
export type RemoveApp = z.infer<typeof RemoveApp>;

/** Each service: scale 0, delete the provider service, its load balancer and its DNS record (Barcelona's delete). */
export const removeAppCommand = defineCommand({ type: 'app.remove', service: APP_MANAGER_SERVICE, schema: RemoveApp });

export const LaunchContainerInstances = z.object({
  tenantId: z.string().min(1),
  district: z.string(),
  launchId: z.uuid(),
  count: z.number().int().min(1),
  instanceType: z.string(),
});
export type LaunchContainerInstances = z.infer<typeof LaunchContainerInstances>;

/** Ask the instance broker for a district's container instances, one idempotency key per instance. */
export const launchContainerInstancesCommand = defineCommand({
  type: 'district.launch',
  service: APP_MANAGER_SERVICE,
  schema: LaunchContainerInstances,
});

export const SlackNotice = z.object({
  url: z.string().min(1),
  /** Slack attachment colors for Barcelona's levels good | warn | error. */
  color: z.enum(['good', 'warning', 'danger']),
  text: z.string(),
});
export type SlackNotice = z.infer<typeof SlackNotice>;

/** Post a deploy event to the app's Slack-compatible webhook; retried by the bus, never on a request's path. */
export const slackNoticeCommand = defineCommand({
  type: 'app.slack-notice',
  service: APP_MANAGER_SERVICE,
  schema: SlackNotice,
});

export const AppDeployed = z.object({
  tenantId: z.string(),
  app: z.string(),
  release: z.number().int(),
  outcome: z.enum(['done', 'failed', 'timed_out']),
});
/** A deploy ended. */
export const appDeployedEvent = defineEvent({ type: 'app.deployed', schema: AppDeployed });

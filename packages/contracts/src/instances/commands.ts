import { z } from 'zod';
import { defineCommand } from '../catalog';
import { INSTANCE_BROKER_SERVICE } from './instance';

/** The broker's own work queue. Each job is safe to run more than once (inbox + provider idempotency). */

export const ProvisionInstance = z.object({ tenantId: z.string().min(1), instanceId: z.uuid() });
export type ProvisionInstance = z.infer<typeof ProvisionInstance>;

/** Create the provider instance for a `creating` row, with the Overcast id as the idempotency token. */
export const provisionInstanceCommand = defineCommand({
  type: 'instance.provision',
  service: INSTANCE_BROKER_SERVICE,
  schema: ProvisionInstance,
});

export const TerminateRequested = z.object({
  tenantId: z.string().min(1),
  instanceId: z.uuid(),
  slackChannel: z.string().nullable(),
});
export type TerminateRequested = z.infer<typeof TerminateRequested>;

/** Terminate the provider instance of a `terminating` row. */
export const terminateRequestedCommand = defineCommand({
  type: 'instance.terminate-requested',
  service: INSTANCE_BROKER_SERVICE,
  schema: TerminateRequested,
});

export const ProvisionInstanceBuild = z.object({ tenantId: z.string().min(1), buildId: z.uuid() });
export type ProvisionInstanceBuild = z.infer<typeof ProvisionInstanceBuild>;

/** Resolve image and security group, render the init script, create the build's instances. */
export const provisionInstanceBuildCommand = defineCommand({
  type: 'instance-build.provision',
  service: INSTANCE_BROKER_SERVICE,
  schema: ProvisionInstanceBuild,
});

export const SendNotification = z.object({
  /** Slack channel without `#` (the sender adds exactly one); null: the webhook's default channel. */
  channel: z.string().nullable(),
  text: z.string().min(1),
});
export type SendNotification = z.infer<typeof SendNotification>;

/** Post a chat notification; retried by the bus, never on a request's path. */
export const sendNotificationCommand = defineCommand({
  type: 'notification.send',
  service: INSTANCE_BROKER_SERVICE,
  schema: SendNotification,
});

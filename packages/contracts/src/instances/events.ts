import { z } from 'zod';
import { defineEvent } from '../catalog';
import { InstanceState } from './instance';

export const InstanceStateChanged = z.object({
  id: z.uuid(),
  tenantId: z.string(),
  provider: z.string(),
  /** null when the instance was just created. */
  from: InstanceState.nullable(),
  to: InstanceState,
  ipAddress: z.string().nullable(),
  upstreamId: z.string().nullable(),
  errorReason: z.string().nullable(),
  instanceBuildId: z.uuid().nullable(),
});
export type InstanceStateChanged = z.infer<typeof InstanceStateChanged>;

export const instanceStateChangedEvent = defineEvent({ type: 'instance.state_changed', schema: InstanceStateChanged });

export const InstanceTerminated = z.object({
  id: z.uuid(),
  tenantId: z.string(),
  provider: z.string(),
  upstreamId: z.string().nullable(),
  instanceBuildId: z.uuid().nullable(),
});
export type InstanceTerminated = z.infer<typeof InstanceTerminated>;

export const instanceTerminatedEvent = defineEvent({ type: 'instance.terminated', schema: InstanceTerminated });

export const InstanceBuildStarted = z.object({
  id: z.uuid(),
  tenantId: z.string(),
  provider: z.string(),
  site: z.string(),
  env: z.string(),
  role: z.string(),
  queue: z.string(),
  image: z.string().nullable(),
  instanceIds: z.array(z.uuid()),
});
export type InstanceBuildStarted = z.infer<typeof InstanceBuildStarted>;

export const instanceBuildStartedEvent = defineEvent({ type: 'instance-build.started', schema: InstanceBuildStarted });

export const InstanceBuildFinished = z.object({
  id: z.uuid(),
  tenantId: z.string(),
  /** The instance the caller reported as finished (pudding's `instance-id`), if given. */
  instanceId: z.string().nullable(),
});
export type InstanceBuildFinished = z.infer<typeof InstanceBuildFinished>;

export const instanceBuildFinishedEvent = defineEvent({
  type: 'instance-build.finished',
  schema: InstanceBuildFinished,
});

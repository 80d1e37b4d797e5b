import { z } from 'zod';
import { defineEvent } from '../catalog';
import { Instance, InstanceState } from './instance';

/** What every instance event says of the instance: its fields as `Instance` declares them, and its tenant. */
const InstanceFacts = Instance.pick({ id: true, provider: true, upstreamId: true, instanceBuildId: true }).extend({
  tenantId: z.string(),
});

export const InstanceStateChanged = InstanceFacts.extend({
  ...Instance.pick({ ipAddress: true, errorReason: true }).shape,
  /**
   * The provider's image the instance boots (an AMI id, a GCE image, a local catalog name): the image inspector
   * records it on the instance's power events, so usage reports include Overcast's own instances. Optional
   * because messages published before it was added have none (a field added to a shipped event never becomes required).
   */
  image: Instance.shape.image.optional(),
  /** null when the instance was just created. */
  from: InstanceState.nullable(),
  to: InstanceState,
});
export type InstanceStateChanged = z.infer<typeof InstanceStateChanged>;

export const instanceStateChangedEvent = defineEvent({ type: 'instance.state_changed', schema: InstanceStateChanged });

export const InstanceTerminated = InstanceFacts;
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

/** pudding's lifecycle transitions, as its init scripts' hooks report them. */
export const InstanceLifecycleTransition = z.enum(['launching', 'terminating']);
export type InstanceLifecycleTransition = z.infer<typeof InstanceLifecycleTransition>;

export const InstanceLifecycleReported = z.object({
  /** The instance build whose credentials reported it. */
  buildId: z.uuid(),
  tenantId: z.string(),
  /** As the instance reported it (its EC2 id from the metadata service, or whatever its script sent). */
  instanceId: z.string(),
  /** `launching`: in service (`POST /instance-launches`); `terminating`: out of service (`/instance-terminations`). */
  transition: InstanceLifecycleTransition,
});
export type InstanceLifecycleReported = z.infer<typeof InstanceLifecycleReported>;

export const instanceLifecycleReportedEvent = defineEvent({
  type: 'instance.lifecycle_reported',
  schema: InstanceLifecycleReported,
});

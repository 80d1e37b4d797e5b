import { z } from 'zod';
import { InstanceType, Timestamp } from './instance';

/** pudding's build states: `pending` until its instances were requested, `started`, then `finished` (PATCH). */
export const InstanceBuildState = z.enum(['pending', 'started', 'finished', 'errored']);
export type InstanceBuildState = z.infer<typeof InstanceBuildState>;

/** A Slack channel name, with or without its leading `#` (the broker adds exactly one). */
export const SlackChannel = z.string().min(1).max(100);

export const InstanceBuild = z.object({
  id: z.uuid(),
  provider: z.string(),
  site: z.string(),
  env: z.string(),
  role: z.string(),
  queue: z.string(),
  instanceType: InstanceType,
  count: z.number().int().positive(),
  /** Image requested or resolved (pudding's `ami`); null until the build resolved it. */
  image: z.string().nullable(),
  slackChannel: z.string().nullable(),
  subnetId: z.string().nullable(),
  securityGroupId: z.string().nullable(),
  /** false: only render and store the init script, start nothing (pudding's `boot_instance`). */
  bootInstance: z.boolean(),
  state: InstanceBuildState,
  /** Overcast ids of the instances the build created (empty until provisioned). */
  instanceIds: z.array(z.uuid()),
  errorReason: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type InstanceBuild = z.infer<typeof InstanceBuild>;

/** Largest `count` (the VM concurrency a build's init script is given; a build boots one instance). */
export const MAX_INSTANCE_BUILD_COUNT = 100;

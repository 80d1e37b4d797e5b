import { z } from 'zod';
import { defineRpc } from '../catalog';
import { PageRequest, TenantScope } from '../platform';
import {
  Instance,
  INSTANCE_BROKER_SERVICE,
  InstanceState,
  InstanceType,
  PlacementLabel,
  ProviderName,
} from './instance';
import { SlackChannel } from './instance-build';

/** Ids arrive from URLs: any string is accepted and an unknown or malformed one is `not_found` (never 500). */
const InstanceId = z.string().min(1).max(200);

export const CreateInstanceRequest = TenantScope.extend({
  provider: ProviderName,
  image: z.string().min(1).max(255),
  /** Defaults to `standard`. */
  instanceType: InstanceType.optional(),
  publicSshKey: z.string().min(1).max(16_384).optional(),
  env: PlacementLabel.optional(),
  site: PlacementLabel.optional(),
  role: PlacementLabel.optional(),
  queue: PlacementLabel.optional(),
  /** The HTTP `Idempotency-Key`: a repeat with the same key (per tenant) answers the first result. */
  idempotencyKey: z.string().min(1).max(255).optional(),
});
export type CreateInstanceRequest = z.infer<typeof CreateInstanceRequest>;

/** Answers `state: "creating"` at once; the provider work happens after the reply. */
export const createInstanceRpc = defineRpc({
  type: 'instance.create',
  service: INSTANCE_BROKER_SERVICE,
  request: CreateInstanceRequest,
  response: Instance,
});

/** The uuid, or a pudding-style reference (`i-…`, see `reference` of the list). */
export const GetInstanceRequest = TenantScope.extend({ id: InstanceId });
export type GetInstanceRequest = z.infer<typeof GetInstanceRequest>;

/** Answers terminated instances too (the gateway turns `state: "terminated"` into 410 with this body). */
export const getInstanceRpc = defineRpc({
  type: 'instance.get',
  service: INSTANCE_BROKER_SERVICE,
  request: GetInstanceRequest,
  response: Instance,
});

export const ListInstancesRequest = TenantScope.extend(PageRequest.shape).extend({
  env: z.string().min(1).optional(),
  site: z.string().min(1).optional(),
  role: z.string().min(1).optional(),
  queue: z.string().min(1).optional(),
  provider: z.string().min(1).optional(),
  state: InstanceState.optional(),
  /**
   * Pudding's lookup by instance id (`GET /instances/i-…`): the instances this reference names (its uuid, `i-<uuid>`,
   * `i-<first 8 hex digits of the uuid>`, or the provider's own id), the other filters and the cursor aside.
   */
  reference: InstanceId.optional(),
});
export type ListInstancesRequest = z.infer<typeof ListInstancesRequest>;

export const InstancePage = z.object({
  /** Newest first. */
  instances: z.array(Instance),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type InstancePage = z.infer<typeof InstancePage>;

export const listInstancesRpc = defineRpc({
  type: 'instance.list',
  service: INSTANCE_BROKER_SERVICE,
  request: ListInstancesRequest,
  response: InstancePage,
});

export const TerminateInstanceRequest = TenantScope.extend({
  /** The uuid, or a pudding-style reference (`i-…`, see `reference` of the list): one that names several is a conflict. */
  id: InstanceId,
  /** pudding's `slack-channel`: where the termination notice goes (else the configured default). */
  slackChannel: SlackChannel.optional(),
});
export type TerminateInstanceRequest = z.infer<typeof TerminateInstanceRequest>;

/**
 * Idempotent (HTTP 202): answers the instance in `terminating` (or already `terminated`); asking again,
 * however often, is no error and queues nothing new.
 */
export const terminateInstanceRpc = defineRpc({
  type: 'instance.terminate',
  service: INSTANCE_BROKER_SERVICE,
  request: TerminateInstanceRequest,
  response: Instance,
});

export const ReadInstanceConsoleRequest = TenantScope.extend({ id: InstanceId });
export type ReadInstanceConsoleRequest = z.infer<typeof ReadInstanceConsoleRequest>;

export const InstanceConsole = z.object({
  /** The tail of the console (at most what the provider keeps, 1 MiB on local); '' before any output. */
  text: z.string(),
});
export type InstanceConsole = z.infer<typeof InstanceConsole>;

/**
 * The instance's console output, like EC2 GetConsoleOutput. `not_found` for an unknown id or another
 * tenant's; `unprocessable` when the instance's provider keeps no console (aws, gce, fake).
 */
export const readInstanceConsoleRpc = defineRpc({
  type: 'instance.console',
  service: INSTANCE_BROKER_SERVICE,
  request: ReadInstanceConsoleRequest,
  response: InstanceConsole,
});

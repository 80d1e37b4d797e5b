/**
 * The compute provider interface every cloud implements. Every call is idempotent by construction:
 * the Overcast instance id is the provider's idempotency token (EC2 ClientToken, GCE requestId) and the
 * provider resource is named and tagged with it, so a retried create finds what an earlier try made.
 */

import type { AutoscalingGroups } from './autoscaling';

/** Provider-neutral life cycle, as Overcast reports it. */
export type ProviderInstanceState = 'starting' | 'running' | 'terminating' | 'terminated';

/** The tag (label on GCE) that marks a resource as Overcast's; the reaper touches nothing without it. */
export const OVERCAST_ID_TAG = 'overcast-id';

export interface CreateInstanceInput {
  /** Overcast instance id (UUID): idempotency token, resource name suffix and `overcast-id` tag. */
  id: string;
  /** Provider image reference (AMI id, GCE image name or family, local catalog image name). */
  image: string;
  /** A size class or a native type this provider accepted (`machineTypeOf` answered non-null for it). */
  instanceType: string;
  /** Cloud-init user data, e.g. `#include <gateway>/init-scripts/<build>`. */
  userData?: string;
  sshPublicKey?: string;
  /** Extra tags (role, site, env, queue, build id); `overcast-id` is always added. */
  tags?: Record<string, string>;
  securityGroupId?: string;
  subnetId?: string;
}

export interface ProviderInstance {
  /** Overcast id, read back from the tag or name. */
  id: string;
  /** The provider's own id (EC2 instance id, GCE instance id, local pid). */
  upstreamId: string;
  state: ProviderInstanceState;
  ipAddress: string | null;
  tags: Record<string, string>;
  /** When the provider created it, for the reaper's grace period. */
  createdAt: Date;
}

export interface ProviderImage {
  /** Provider image reference to pass as `CreateInstanceInput.image`. */
  id: string;
  name: string;
  createdAt: Date;
}

/** An image a provider offers by itself, with the roles it serves (pudding's `role` tag). */
export interface ProviderCatalogImage extends ProviderImage {
  roles: string[];
}

export interface ComputeProvider {
  /** Registry key: 'aws' | 'gce' | 'local' | 'fake'. */
  readonly name: string;
  /**
   * The machine type this provider would boot for a requested type (a size class, `default` for standard, or a
   * native type such as EC2's `c3.2xlarge`), or null when it has no such type. Pure: no call to the cloud.
   */
  machineTypeOf(requested: string): string | null;
  /** Create, or adopt the instance an earlier try with the same id already created. */
  createInstance(input: CreateInstanceInput): Promise<ProviderInstance>;
  /** Terminate by Overcast id; an instance that is already gone is success. */
  terminateInstance(id: string): Promise<void>;
  /** null when the provider has no instance with this Overcast id. */
  getInstance(id: string): Promise<ProviderInstance | null>;
  /** Every instance carrying the Overcast tag, in any state (never anything else). */
  listInstances(): Promise<ProviderInstance[]>;
  /** Open inbound TCP 22 for instance builds; returns the group id (idempotent on name). */
  ensureSshSecurityGroup(name: string): Promise<string | null>;
  /** Newest image carrying `role` (AWS: tag `role` + tag-key `active`; GCE: family/prefix), or null. */
  findNewestImage(role: string): Promise<ProviderImage | null>;
  /**
   * The images the provider itself offers, where it keeps such a list (the operator's local catalog); clouds have
   * none here (their images are registered in Overcast's catalog). Pure: no call to a cloud.
   */
  listImages?(): Promise<ProviderCatalogImage[]>;
  /** Autoscaling groups made from an instance, where the provider has them (aws; fake in memory). */
  readonly autoscalingGroups?: AutoscalingGroups;
  /** The instance's console (serial/boot) output, where the provider keeps one; null for an unknown id. */
  readConsole?(id: string): Promise<string | null>;
  /** Release what the provider holds in this process (watchers, timers); instances keep running. */
  close?(): Promise<void>;
}

/** A provider error worth retrying (throttling, 5xx, network) versus a permanent one (bad image). */
export class ProviderError extends Error {
  readonly retryable: boolean;
  /** The provider's own error code when it gave one (`InvalidAMIID.NotFound`, `QUOTA_EXCEEDED`), for error_reason. */
  readonly code: string | undefined;
  constructor(message: string, options: { retryable: boolean; cause?: unknown; code?: string }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProviderError';
    this.retryable = options.retryable;
    this.code = options.code;
  }
}

export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof ProviderError;
}

import type { ImageState, Instance, InstanceBuildState, InstanceState, InstanceType } from '@overcast/contracts';

/** What the repositories hand the use cases: plain objects, dates as Date. */

/**
 * An instance as the broker stores it: the wire shape (contracts' `Instance`, the one declaration of its fields)
 * with the tenant it belongs to, and its timestamps as Date. The instances table's columns are these fields
 * (data-access/instances-table.ts).
 */
export type InstanceRecord = Omit<Instance, 'createdAt' | 'updatedAt'> & {
  tenantId: string;
  createdAt: Date;
  updatedAt: Date;
};

export interface InstanceBuildRecord {
  id: string;
  tenantId: string;
  provider: string;
  site: string;
  env: string;
  role: string;
  queue: string;
  instanceType: InstanceType;
  count: number;
  image: string | null;
  slackChannel: string | null;
  subnetId: string | null;
  securityGroupId: string | null;
  bootInstance: boolean;
  state: InstanceBuildState;
  errorReason: string | null;
  gatewayUrl: string;
  initScript: string | null;
  secretSalt: Uint8Array | null;
  secretHash: Uint8Array | null;
  secretExpiresAt: Date | null;
  userDataCiphertext: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ImageRecord {
  id: string;
  tenantId: string;
  provider: string;
  imageId: string;
  role: string;
  name: string;
  active: boolean;
  state: ImageState;
  createdAt: Date;
}

/** States in which an instance may exist at its provider on Overcast's behalf (the reaper spares these). */
export const liveInstanceStates = [
  'creating',
  'starting',
  'running',
  'terminating',
] as const satisfies readonly InstanceState[];

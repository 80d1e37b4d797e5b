import type { ImageState, InstanceBuildState, InstanceState, InstanceType } from '@overcast/contracts';

/** What the repositories hand the use cases: plain objects, dates as Date. */

export interface InstanceRecord {
  id: string;
  tenantId: string;
  provider: string;
  image: string;
  instanceType: InstanceType;
  publicSshKey: string | null;
  state: InstanceState;
  ipAddress: string | null;
  upstreamId: string | null;
  errorReason: string | null;
  env: string | null;
  site: string | null;
  role: string | null;
  queue: string | null;
  instanceBuildId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

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

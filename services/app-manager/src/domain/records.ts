import type { DistrictTarget } from '@overcast/contracts';

/** The domain's view of the rows; data-access maps Prisma rows to these. */

/** A district as an app or a deploy needs it: enough to reach its platform, without its apps or instances. */
export interface DistrictRef {
  id: string;
  tenantId: string;
  name: string;
  provider: string;
  aws: Record<string, string | null>;
  sealedCredentials: string | null;
  createdAt: Date;
}

export interface DistrictRecord extends DistrictRef {
  appNames: string[];
  containerInstances: { id: string; state: string; instanceType: string; ipAddress: string | null }[];
}

export interface PortMappingRecord {
  lb_port: number;
  container_port: number;
  /** Allocated by the store (10000–19999, unique per district) when the mapping is first saved. */
  host_port?: number;
}

export interface ServiceDraft {
  name: string;
  cpu: number;
  memory: number;
  command: string | null;
  public: boolean;
  scale: number;
  schedule: string | null;
  portMappings: PortMappingRecord[];
}

/** Everything a change to an app may touch; every change is saved as the next numbered release. */
export interface AppDraft {
  name: string;
  imageName: string | null;
  imageTag: string | null;
  beforeDeploy: string | null;
  slackUrl: string | null;
  services: ServiceDraft[];
  env: Record<string, string>;
}

export interface ServiceRecord extends ServiceDraft {
  portMappings: Required<PortMappingRecord>[];
  endpointDns: string | null;
}

export interface AppRecord {
  id: string;
  tenantId: string;
  name: string;
  district: DistrictRef;
  imageName: string | null;
  imageTag: string | null;
  beforeDeploy: string | null;
  slackUrl: string | null;
  release: number;
  appliedRelease: number | null;
  services: ServiceRecord[];
  env: Record<string, string>;
  /** The state of the newest release's deploy. */
  deployState: string | null;
}

/** What a release applies (stored as JSON); env vars are sealed beside it. */
export interface ReleaseSpec {
  imageName: string | null;
  imageTag: string | null;
  beforeDeploy: string | null;
  services: Omit<ServiceRecord, 'endpointDns'>[];
}

export interface ReleaseRecord {
  version: number;
  description: string;
  spec: ReleaseSpec;
  env: Record<string, string>;
  deployState: string | null;
  createdAt: Date;
}

export type DeployState = 'running' | 'done' | 'failed' | 'timed_out' | 'superseded';

export interface DeployRecord {
  id: string;
  tenantId: string;
  appId: string;
  appName: string;
  slackUrl: string | null;
  district: DistrictRef;
  release: ReleaseRecord;
  /** The release the last finished deploy applied, for drift; null before one. */
  applied: ReleaseRecord | null;
  state: DeployState;
  step: number;
  startedAt: Date;
  /** A newer deploy of the same app exists: this one stops at its next step. */
  superseded: boolean;
}

export type EventLevel = 'good' | 'warn' | 'error';

export interface OneoffRecord {
  id: string;
  tenantId: string;
  appId: string;
  appName: string;
  command: string;
  imageTag: string | null;
  env: Record<string, string>;
  service: string | null;
  taskArn: string | null;
  status: 'pending' | 'running' | 'stopped';
  exitCode: number | null;
  reason: string | null;
  output: string | null;
  createdAt: Date;
}

export function targetOf(district: DistrictRef): DistrictTarget {
  return {
    name: district.name,
    provider: district.provider,
    aws: district.aws,
    sealedCredentials: district.sealedCredentials,
  };
}

/** Barcelona's image_path: `name:(tag||latest)`, nil without an image name. */
export function imagePath(spec: { imageName: string | null; imageTag: string | null }): string | null {
  return spec.imageName ? `${spec.imageName}:${spec.imageTag ?? 'latest'}` : null;
}

import type { components } from './generated/openapi.ts';

/** Friendly names for the spec's schemas; each is exactly the generated type. */
type Schemas = components['schemas'];

export type ErrorCode = Schemas['ErrorCode'];
export type ErrorDetail = Schemas['ErrorDetail'];
export type ErrorEnvelope = Schemas['ErrorEnvelope'];
export type Role = Schemas['Role'];
export type LoginResult = Schemas['LoginResult'];
export type CreateTokenRequest = Schemas['CreateTokenRequest'];
export type Token = Schemas['Token'];
export type CreatedToken = Schemas['CreatedToken'];
export type PlatformStatus = Schemas['PlatformStatus'];
export type ServiceHealth = Schemas['ServiceHealth'];
export type InstanceType = Schemas['InstanceType'];
export type InstanceState = Schemas['InstanceState'];
export type CreateInstanceRequest = Schemas['CreateInstanceRequest'];
export type Instance = Schemas['Instance'];
export type InstanceList = Schemas['InstanceList'];
export type InstanceBuildState = Schemas['InstanceBuildState'];
export type InstanceBuildInput = Schemas['InstanceBuildInput'];
export type InstanceBuild = Schemas['InstanceBuild'];
export type AutoscalingGroupBuildInput = Schemas['AutoscalingGroupBuildInput'];
export type AutoscalingGroupBuild = Schemas['AutoscalingGroupBuild'];
export type Image = Schemas['Image'];
export type RegisterImageRequest = Schemas['RegisterImageRequest'];
export type Quota = Schemas['Quota'];

/** Filters of `GET /instances` (all exact matches) plus paging. */
export interface InstanceFilters {
  env?: string;
  site?: string;
  role?: string;
  queue?: string;
  provider?: string;
  state?: InstanceState;
  limit?: number;
  cursor?: string;
}

export interface ImageFilters {
  active?: boolean;
  role?: string;
  provider?: string;
}

export type RegisterAccountRequest = Schemas['RegisterAccountRequest'];
export type RegistryAccount = Schemas['RegistryAccount'];
export type DatacenterProfile = Schemas['DatacenterProfile'];
export type RegisterDatacenterRequest = Schemas['RegisterDatacenterRequest'];
export type UpdateDatacenterRequest = Schemas['UpdateDatacenterRequest'];
export type Datacenter = Schemas['Datacenter'];
export type RegisteredDatacenter = Schemas['RegisteredDatacenter'];
export type DatacenterMatches = Schemas['DatacenterMatches'];
export type ConfigProblem = Schemas['ConfigProblem'];
export type DeploymentVerdict = Schemas['DeploymentVerdict'];
export type Deployment = Schemas['Deployment'];
export type DeploymentSummary = Schemas['DeploymentSummary'];
export type ServicePlacement = Schemas['ServicePlacement'];
export type PlanStep = Schemas['PlanStep'];
export type DeploymentUpdate = Schemas['DeploymentUpdate'];
export type NotifyDeploymentRequest = Schemas['NotifyDeploymentRequest'];
export type NotifyDeploymentResult = Schemas['NotifyDeploymentResult'];

/** One event of a deployment's stream (`GET /deployments/{id}/events`): its seq resumes a stream after it. */
export interface DeploymentEvent {
  seq: number;
  type: string;
  data: Record<string, unknown>;
  created_at: string;
}
export type District = Schemas['District'];
export type DistrictCreate = Schemas['DistrictCreate'];
export type DistrictUpdate = Schemas['DistrictUpdate'];
export type App = Schemas['App'];
export type AppCreate = Schemas['AppCreate'];
export type AppUpdate = Schemas['AppUpdate'];
export type AppService = Schemas['AppService'];
export type AppServiceInput = Schemas['ServiceInput'];
export type Oneoff = Schemas['Oneoff'];
export type Release = Schemas['Release'];
export type DeployEvent = Schemas['DeployEvent'];

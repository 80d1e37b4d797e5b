export { createGceComputeProvider } from './gce-compute-provider';
export type { GceClientOptions, GceComputeConfig } from './config';
export { mapGceStatus } from './instance-mapping';

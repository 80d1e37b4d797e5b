export { createProviderRegistry } from './provider-registry';
export type { ProviderRegistry } from './provider-registry';
export { ComputeProviderConfig, createComputeProvider } from './provider-config';

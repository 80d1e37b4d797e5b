export { createProviderRegistry } from './provider-registry';
export type { NamedProvider, ProviderRegistry } from './provider-registry';
export { ComputeProviderConfig, createComputeProvider } from './provider-config';

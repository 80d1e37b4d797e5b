export { createRegistryService, registryMigrationsDir } from './service';
export type { RegistryDeps, RegistryService, RegistryLogger } from './service';
export { parseRegistryConfig, parseRegistrySettings } from './config';
export type { RegistrySettings, RegistrySettingsEnvironment } from './config';
// Placement as a pure computation, for bench/registry (the service runs it inside its placement transaction).
export { planDeployment } from './domain/plan-deployment';
export { indexOffers } from './domain/match-datacenters';
export { noChanges } from './domain/records';
export type { DatacenterOffer, Usage } from './domain/offers';
export type { DeploymentRecord } from './domain/records';

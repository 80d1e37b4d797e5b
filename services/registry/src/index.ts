export { createRegistryService, registryMigrationsDir } from './service';
export type { RegistryDeps, RegistryService, RegistryLogger } from './service';
export { parseRegistryConfig, parseRegistrySettings } from './config';
export type { RegistrySettings, RegistrySettingsEnvironment } from './config';

export { createInstanceBrokerService, instanceBrokerMigrationsDir, instanceBrokerQueue } from './service';
export type { InstanceBrokerDeps, InstanceBrokerService } from './service';
export { defaultBrokerSettings, resolveBrokerSettings } from './settings';
export type { BrokerSettings, BrokerSettingsInput } from './settings';

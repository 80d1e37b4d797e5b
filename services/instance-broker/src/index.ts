export { createInstanceBrokerService, instanceBrokerMigrationsDir, instanceBrokerQueue } from './service';
export type { InstanceBrokerDeps, InstanceBrokerService } from './service';
export { defaultBrokerSettings, resolveBrokerSettings } from './settings';
export type { BrokerSettings, BrokerSettingsInput } from './settings';
export { createSlackWebhookNotifier } from './notifications/slack-webhook-notifier';
export type { SlackWebhookOptions } from './notifications/slack-webhook-notifier';
export type { Notifier } from './domain/send-notification';
export { defaultInitScriptTemplate } from './domain/init-script';
export { defaultLocalImages } from './provider-wiring';

export { createImageInspectorService, imageInspectorMigrationsDir, followedInstanceEventsQueue } from './service';
export type { ImageInspectorDeps, ImageInspectorService, ImageInspectorLogger } from './service';
export { parseImageInspectorConfig, parseImageInspectorSettings } from './config';
export type { ImageInspectorSettings, ImageInspectorSettingsEnvironment } from './config';
export { parseActivityLog } from './domain/parse-activity-log';
// For bench/usage: ingestion and reports as the service runs them, without the bus.
export { createUsageStore } from './data-access/usage-store';
export { createIngestActivityLog } from './domain/ingest-activity-log';
export { createReportUseCases } from './domain/report-use-cases';

export { createImageInspectorService, imageInspectorMigrationsDir, followedInstanceEventsQueue } from './service';
export type { ImageInspectorDeps, ImageInspectorService, ImageInspectorLogger } from './service';
export { parseImageInspectorConfig, parseImageInspectorSettings } from './config';
export type { ImageInspectorSettings, ImageInspectorSettingsEnvironment } from './config';
export { parseActivityLog } from './domain/parse-activity-log';

export {
  createAppManagerService,
  appManagerMigrationsDir,
  appManagerQueue,
  followedInstanceEventsQueue,
} from './service';
export type { AppManagerDeps, AppManagerService } from './service';
export { parseAppManagerConfig, parseAppManagerSettings } from './config';
export type { AppManagerSettings, AppManagerSettingsEnvironment } from './config';
export type { ContainerPlatforms, DomainLogger } from './domain/context';
export { createContainerPlatforms } from './container-platforms';
export type { ContainerPlatformOptions } from './container-platforms';

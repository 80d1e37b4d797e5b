export { createLocalContainerPlatform } from './local-container-platform';
export type { LocalContainerPlatform } from './local-container-platform';
export type { LocalTask } from './local-district';
export { LocalContainerConfig } from './local-container-config';
export { helloWebImage } from './hello-web-image';

export { createLocalContainerPlatform } from './local-container-platform';
export type { LocalContainerPlatform } from './local-container-platform';
export type { LocalTask } from './local-district';
export { LocalContainerConfig } from './local-container-config';
export { helloWebImage, helloWebRequestsPerConnection } from './hello-web-image';

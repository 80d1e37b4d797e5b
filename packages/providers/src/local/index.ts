export { createLocalComputeProvider } from './local-compute-provider';
export type { LocalComputeProvider } from './local-compute-provider';
export { LocalComputeConfig, LocalImage } from './config';
export { readLocalImagesFile } from './images-file';

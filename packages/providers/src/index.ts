export * from './core/compute';
export * from './core/machine-types';
export * from './aws';
export * from './gce';
export * from './fake';
export * from './registry';
export * from './secrets';
export * from './local';

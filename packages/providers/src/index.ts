export * from './core/compute';
export * from './aws';
export * from './gce';

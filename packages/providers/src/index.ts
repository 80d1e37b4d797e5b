export * from './core/compute';
export * from './aws';

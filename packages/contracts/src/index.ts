export * from './envelope';
export * from './catalog';
export * from './errors';
export * from './platform';
export * from './quotas';
export * from './instances';
export * from './registry';
export * from './usage';

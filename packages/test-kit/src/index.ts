export * from './services';
export * from './database';
export * from './wait-for';
export * from './webhook-recorder';

export * from './container-platform';
export * from './names';
export * from './schedules';
export * from './fake';
export * from './local';
export * from './aws';
export * from './container-platform-config';

export * from './schedule-expression';

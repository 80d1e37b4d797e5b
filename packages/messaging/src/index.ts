export * from './bus';
export * from './bus-options';
export * from './errors';
export { createAmqpBus } from './amqp/create-amqp-bus';
export type { AmqpBusOptions } from './amqp/create-amqp-bus';
export { createMemoryBus } from './memory/create-memory-bus';
export type { MemoryBusOptions } from './memory/create-memory-bus';
export { createMemoryBroker, MemoryBroker } from './memory/memory-broker';

export { defaultFakeImages } from './fake-images';
export { createFakeComputeProvider } from './fake-compute-provider';
export type { FakeComputeOptions, FakeComputeProvider } from './fake-compute-provider';
export type { FakeMethod, FaultKind } from './fault-plan';

export { defaultFakeImages } from './fake-images';
export { createFakeComputeProvider } from './fake-compute-provider';
export type { FakeComputeOptions, FakeComputeProvider } from './fake-compute-provider';
export type { FakeMethod, FaultKind } from './fault-plan';
export { createFakeAutoscalingGroups } from './fake-autoscaling-groups';
export type { FakeAutoscalingGroups, FakeAutoscalingState } from './fake-autoscaling-groups';

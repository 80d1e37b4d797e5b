export { createFakeContainerPlatform } from './fake-container-platform';
export type {
  FakeContainerMethod,
  FakeContainerOptions,
  FakeContainerPlatform,
  FakeCreations,
} from './fake-container-platform';
export type { FakeCluster, FakeDrift } from './fake-cluster';

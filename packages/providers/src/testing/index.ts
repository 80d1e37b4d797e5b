/** Test helpers for other packages' tests (`@overcast/providers/testing`); never imported by production code. */
export { createMockedContainerPlatform } from '../container-platform/aws/testing/aws-container-mocks';

export { startFakeOvercastServer } from './fake-server';
export type { FakeOvercastServer, RecordedRequest } from './fake-server';
export type { FakeState, FakeToken, FakeBuild } from './fake-state';
export { newInstance } from './fake-state';

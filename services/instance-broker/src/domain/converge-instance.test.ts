import type { ProviderInstance } from '@overcast/providers';
import { convergeInstance } from './converge-instance';
import type { InstanceRecord } from './records';

const listedAt = new Date('2026-11-22T10:00:00Z');
const before = new Date('2026-11-22T09:00:00Z');

function row(overrides: Partial<InstanceRecord>): InstanceRecord {
  return {
    id: '0d654ef4-75b9-49a6-9f90-f9b1ae3501fc',
    tenantId: 't1',
    provider: 'fake',
    image: 'standard-image',
    instanceType: 'standard',
    publicSshKey: null,
    state: 'running',
    ipAddress: '10.0.0.1',
    upstreamId: 'i-1',
    errorReason: null,
    env: null,
    site: null,
    role: null,
    queue: null,
    instanceBuildId: null,
    createdAt: before,
    updatedAt: before,
    ...overrides,
  };
}

function seen(overrides: Partial<ProviderInstance>): ProviderInstance {
  return {
    id: '0d654ef4-75b9-49a6-9f90-f9b1ae3501fc',
    upstreamId: 'i-1',
    state: 'running',
    ipAddress: '10.0.0.1',
    tags: {},
    createdAt: before,
    ...overrides,
  };
}

const giveUpBefore = new Date('2026-11-22T08:00:00Z');
const converge = (instance: InstanceRecord, observed: ProviderInstance | undefined, at: Date) =>
  convergeInstance(instance, observed, at, giveUpBefore);

describe('convergeInstance', () => {
  it('marks a running instance the provider no longer lists as terminated', () => {
    expect(converge(row({ state: 'running' }), undefined, listedAt)).toEqual({ state: 'terminated' });
  });

  it('marks a terminating instance the provider no longer lists as terminated', () => {
    expect(converge(row({ state: 'terminating' }), undefined, listedAt)).toEqual({ state: 'terminated' });
  });

  it('leaves a creating instance alone while the provider does not list it yet', () => {
    expect(converge(row({ state: 'creating', upstreamId: null }), undefined, listedAt)).toBeNull();
  });

  it('gives up a creating row its provider never listed once it is older than the creation timeout', () => {
    const lost = row({ state: 'creating', upstreamId: null, updatedAt: new Date('2026-11-22T07:00:00Z') });
    expect(converge(lost, undefined, listedAt)).toEqual({
      state: 'errored',
      errorReason: 'the provider never created the instance (its creation job was lost)',
    });
  });

  it('leaves a row changed after the listing started alone (it may be newer than the listing)', () => {
    expect(converge(row({ state: 'starting', updatedAt: listedAt }), undefined, listedAt)).toBeNull();
  });

  it('moves a starting instance to running with its address when the provider says so', () => {
    const changes = converge(row({ state: 'starting', ipAddress: null }), seen({ ipAddress: '10.0.0.9' }), listedAt);
    expect(changes).toEqual({ state: 'running', ipAddress: '10.0.0.9' });
  });

  it('adopts what the provider reports for a creating row (upstream id and state)', () => {
    const changes = converge(
      row({ state: 'creating', upstreamId: null, ipAddress: null }),
      seen({ state: 'starting', ipAddress: null }),
      listedAt,
    );
    expect(changes).toEqual({ state: 'starting', upstreamId: 'i-1' });
  });

  it('keeps a row terminating while the provider still shows the instance running', () => {
    expect(converge(row({ state: 'terminating' }), seen({ state: 'running' }), listedAt)).toBeNull();
  });

  it('marks any row terminated when the provider reports the instance terminated', () => {
    expect(converge(row({ state: 'running' }), seen({ state: 'terminated' }), listedAt)).toEqual({
      state: 'terminated',
    });
  });

  it('changes nothing when row and provider agree', () => {
    expect(converge(row({}), seen({}), listedAt)).toBeNull();
  });
});

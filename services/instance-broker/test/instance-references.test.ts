import type { AppError } from '@overcast/contracts';
import { describeWithPostgres } from '@overcast/test-kit';
import { findInstanceByReference, findInstancesByReference } from '../src/domain/instance-reference';
import type { InstanceRecord } from '../src/domain/records';
import { openMigratedStore, type MigratedStore } from './support/migrated-store';

/** Pudding's callers name instances `i-…`: by `i-<uuid>`, `i-<first 8 hex digits>` or the provider's own id. */
describeWithPostgres('finding an instance by a pudding-style reference', () => {
  let opened: MigratedStore;
  const now = new Date('2026-12-04T08:00:00.000Z');

  function record(id: string, tenantId: string, upstreamId: string | null): InstanceRecord {
    return {
      id,
      tenantId,
      provider: 'aws',
      image: 'ami-1',
      instanceType: 'c3.2xlarge',
      publicSshKey: null,
      state: 'running',
      ipAddress: null,
      upstreamId,
      errorReason: null,
      env: 'staging',
      site: 'org',
      role: 'worker',
      queue: 'docker',
      instanceBuildId: null,
      createdAt: now,
      updatedAt: now,
    };
  }

  const first = '0d654ef4-75b9-49a6-9f90-f9b1ae3501fc';
  const sharingItsPrefix = '0d654ef4-0000-4000-8000-000000000001';
  const other = 'a1b2c3d4-75b9-49a6-9f90-f9b1ae3501fc';

  beforeAll(async () => {
    opened = await openMigratedStore();
    await opened.store.transaction(async (tx) => {
      await tx.instances.insert([
        record(first, 't1', 'i-0123456789abcdef0'),
        record(sharingItsPrefix, 't1', null),
        record(other, 't1', 'i-feedbeef'),
        record('a1b2c3d4-0000-4000-8000-000000000002', 't2', 'i-0123456789abcdef0'),
      ]);
    });
  });

  afterAll(() => opened?.close());

  const ids = async (tenantId: string, reference: string) =>
    (await findInstancesByReference(opened.store.instances, tenantId, reference)).map((instance) => instance.id);

  it('finds by uuid, by i-<uuid> and by the provider’s own id, in the caller’s tenant only', async () => {
    expect(await ids('t1', first)).toEqual([first]);
    expect(await ids('t1', `i-${first.toUpperCase()}`)).toEqual([first]);
    expect(await ids('t1', 'i-0123456789abcdef0')).toEqual([first]);
    expect(await ids('t2', `i-${first}`)).toEqual([]);
    expect(await ids('t1', 'i-bogus123')).toEqual([]);
    expect(await ids('t1', 'not-a-uuid')).toEqual([]);
  });

  it('finds by i-<first 8 hex digits>, and by an upstream id of that form', async () => {
    expect(await ids('t1', 'i-a1b2c3d4')).toEqual([other]);
    expect(await ids('t1', 'i-feedbeef')).toEqual([other]);
    expect((await ids('t1', 'i-0d654ef4')).sort()).toEqual([first, sharingItsPrefix].sort());
  });

  it('answers one instance, or a conflict naming every instance a short id shares', async () => {
    expect((await findInstanceByReference(opened.store.instances, 't1', 'i-a1b2c3d4')).id).toBe(other);
    const refusal = (await findInstanceByReference(opened.store.instances, 't1', 'i-0d654ef4').catch(
      (error: unknown) => error,
    )) as AppError;
    expect(refusal.code).toBe('conflict');
    expect(refusal.details[0]?.message).toContain(sharingItsPrefix);
    await expect(findInstanceByReference(opened.store.instances, 't1', 'i-bogus123')).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});

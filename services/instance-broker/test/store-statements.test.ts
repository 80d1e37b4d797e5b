import { randomUUID } from 'node:crypto';
import { instanceStateChangedEvent } from '@overcast/contracts';
import type { Database } from '@overcast/db';
import { describeWithPostgres } from '@overcast/test-kit';
import type { BrokerStoreHandle } from '../src/data-access/broker-store';
import type { OutboxWriter } from '../src/domain/ports';
import type { InstanceRecord } from '../src/domain/records';
import { openMigratedStore, type MigratedStore } from './support/migrated-store';

/** The single-statement writes (createInstance, transition): the same outcomes a transaction had. */
describeWithPostgres('single-statement instance writes', () => {
  let opened: MigratedStore;
  let database: Database;
  let store: BrokerStoreHandle;

  beforeAll(async () => {
    opened = await openMigratedStore();
    ({ database, store } = opened);
  });

  afterAll(() => opened?.close());

  function newInstance(): InstanceRecord {
    const now = new Date();
    return {
      id: randomUUID(),
      tenantId: 't1',
      provider: 'fake',
      image: 'debian-12',
      instanceType: 'standard',
      publicSshKey: null,
      state: 'creating',
      ipAddress: null,
      upstreamId: null,
      errorReason: null,
      env: 'staging',
      site: null,
      role: null,
      queue: null,
      instanceBuildId: null,
      createdAt: now,
      updatedAt: now,
    };
  }

  const announce = (from: InstanceRecord['state'] | null) => async (outbox: OutboxWriter, row: InstanceRecord) => {
    await outbox.event(instanceStateChangedEvent, {
      id: row.id,
      tenantId: row.tenantId,
      provider: row.provider,
      from,
      to: row.state,
      ipAddress: row.ipAddress,
      upstreamId: row.upstreamId,
      errorReason: row.errorReason,
      instanceBuildId: row.instanceBuildId,
    });
  };

  async function messagesAbout(id: string): Promise<{ from: string | null; to: string }[]> {
    const { rows } = await database.pool.query<{ envelope: { payload: { from: string | null; to: string } } }>(
      `SELECT envelope FROM instance_broker._overcast_outbox WHERE envelope->'payload'->>'id' = $1 ORDER BY id`,
      [id],
    );
    return rows.map(({ envelope }) => ({ from: envelope.payload.from, to: envelope.payload.to }));
  }

  it('inserts the instances of one turn in one statement, each with its messages', async () => {
    const instances = Array.from({ length: 5 }, newInstance);
    await Promise.all(
      instances.map((instance) => store.createInstance(instance, (outbox) => announce(null)(outbox, instance), null)),
    );
    for (const instance of instances) {
      expect(await store.instances.findById(instance.id)).toEqual(instance);
      expect(await messagesAbout(instance.id)).toEqual([{ from: null, to: 'creating' }]);
    }
  });

  it('fails only the write that cannot be stored: the others of its turn are written, each with its messages', async () => {
    const existing = newInstance();
    await store.createInstance(existing, (outbox) => announce(null)(outbox, existing), null);
    const fresh = Array.from({ length: 4 }, newInstance);
    const withNul = { ...newInstance(), tenantId: 'mallory', image: 'debian\u0000-12' };
    const outcomes = await Promise.allSettled([
      ...fresh.map((instance) => store.createInstance(instance, (outbox) => announce(null)(outbox, instance), null)),
      store.createInstance({ ...existing }, (outbox) => announce(null)(outbox, existing), null),
      store.createInstance(withNul, (outbox) => announce(null)(outbox, withNul), null),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
    ]);
    // The duplicate id and the NUL fail as Postgres failed them; nothing of either is written.
    expect(outcomes.slice(4).map((outcome) => (outcome as PromiseRejectedResult).reason as { code?: string })).toEqual([
      expect.objectContaining({ code: '23505' }),
      expect.objectContaining({ code: '22021' }),
    ]);
    expect(await store.instances.findById(withNul.id)).toBeNull();
    expect(await messagesAbout(withNul.id)).toEqual([]);
    expect(await messagesAbout(existing.id)).toEqual([{ from: null, to: 'creating' }]);
    for (const instance of fresh) {
      expect(await store.instances.findById(instance.id)).toEqual(instance);
      expect(await messagesAbout(instance.id)).toEqual([{ from: null, to: 'creating' }]);
    }
  });

  it('claims an Idempotency-Key with its instance in the same statement; a key held already writes nothing', async () => {
    const first = newInstance();
    const claim = { key: `key-${randomUUID()}`, requestHash: 'hash-1' };
    expect(await store.createInstance(first, (outbox) => announce(null)(outbox, first), claim)).toBe('created');
    expect(await store.idempotencyKeys.find('t1', claim.key)).toEqual({
      requestHash: 'hash-1',
      instanceId: first.id,
      createdAt: expect.any(Date),
    });

    // In one turn: the same key again (refused alone), another key and no key (both written with their messages).
    const again = newInstance();
    const otherKey = newInstance();
    const noKey = newInstance();
    const outcomes = await Promise.all([
      store.createInstance(again, (outbox) => announce(null)(outbox, again), claim),
      store.createInstance(otherKey, (outbox) => announce(null)(outbox, otherKey), { ...claim, key: randomUUID() }),
      store.createInstance(noKey, (outbox) => announce(null)(outbox, noKey), null),
    ]);
    expect(outcomes).toEqual(['key-taken', 'created', 'created']);
    expect(await store.instances.findById(again.id)).toBeNull();
    expect(await messagesAbout(again.id)).toEqual([]);
    expect((await store.idempotencyKeys.find('t1', claim.key))?.instanceId).toBe(first.id);
    for (const instance of [otherKey, noKey]) {
      expect(await store.instances.findById(instance.id)).toEqual(instance);
      expect(await messagesAbout(instance.id)).toEqual([{ from: null, to: 'creating' }]);
    }
  });

  it('two creates racing for one key in one turn: one instance, the other told the key is taken', async () => {
    const claim = { key: `race-${randomUUID()}`, requestHash: 'hash-race' };
    const racers = [newInstance(), newInstance()];
    const outcomes = await Promise.all(
      racers.map((instance) => store.createInstance(instance, (outbox) => announce(null)(outbox, instance), claim)),
    );
    expect([...outcomes].sort()).toEqual(['created', 'key-taken']);
    const winner = racers[outcomes.indexOf('created')];
    expect((await store.idempotencyKeys.find('t1', claim.key))?.instanceId).toBe(winner?.id);
    expect((await store.instances.findByIds(racers.map((instance) => instance.id))).map(({ id }) => id)).toEqual([
      winner?.id,
    ]);
  });

  it('applies a transition once per inbox entry, only from the state read, with its messages only when applied', async () => {
    const instance = newInstance();
    await store.createInstance(instance, (outbox) => announce(null)(outbox, instance), null);
    const inbox = { consumer: 'test.provision', messageId: randomUUID() };
    const changes = { state: 'starting' as const, upstreamId: 'fake-1', ipAddress: '10.0.0.1' };

    const started = await store.transition(instance, changes, announce('creating'), inbox);
    expect(started).toMatchObject({ id: instance.id, state: 'starting', upstreamId: 'fake-1', ipAddress: '10.0.0.1' });
    expect(await store.instances.findById(instance.id)).toEqual(started);
    // The same message again: recognised, nothing written.
    expect(await store.transition(instance, changes, announce('creating'), inbox)).toBe('duplicate');
    // Another message, but the row moved on from the state read: nothing written either.
    expect(
      await store.transition(instance, changes, announce('creating'), { ...inbox, messageId: randomUUID() }),
    ).toBeNull();
    // Without an inbox entry, from the state it is in now.
    const running = await store.transition(started as InstanceRecord, { state: 'running' }, announce('starting'));
    expect(running).toMatchObject({ state: 'running', upstreamId: 'fake-1' });
    expect(await messagesAbout(instance.id)).toEqual([
      { from: null, to: 'creating' },
      { from: 'creating', to: 'starting' },
      { from: 'starting', to: 'running' },
    ]);
  });
});

import { randomUUID } from 'node:crypto';
import type { AppError } from '@overcast/contracts';
import { createAwsComputeProvider, createFakeComputeProvider } from '@overcast/providers';
import { describeWithPostgres } from '@overcast/test-kit';
import { createCreateInstance } from '../src/domain/create-instance';
import { openMigratedStore, type MigratedStore } from './support/migrated-store';

/** The create use case on a real store: with or without an Idempotency-Key, one path and one statement. */
describeWithPostgres('creating an instance, with and without an Idempotency-Key', () => {
  let opened: MigratedStore;
  let now = new Date('2026-12-04T08:00:00.000Z');
  const ttlMs = 24 * 60 * 60 * 1000;
  let createInstance: ReturnType<typeof createCreateInstance>;
  const fake = createFakeComputeProvider({ name: 'fake' });
  // Never called here: only its instance types are consulted at create time.
  const aws = createAwsComputeProvider({ region: 'us-east-1' });
  const providers = [fake, aws];

  beforeAll(async () => {
    opened = await openMigratedStore();
    createInstance = createCreateInstance({
      store: opened.store,
      providers: {
        names: () => providers.map((provider) => provider.name),
        find: (name) => providers.find((provider) => provider.name === name),
      },
      clock: { now: () => now },
      idempotencyTtlMs: ttlMs,
    });
  });

  afterAll(() => opened?.close());

  const request = (tenantId: string, idempotencyKey?: string) => ({
    tenantId,
    provider: 'fake',
    image: 'debian-12',
    env: 'staging',
    ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
  });

  async function provisionCommandsFor(instanceId: string): Promise<number> {
    const { rows } = await opened.database.pool.query<{ count: string }>(
      `SELECT count(*) FROM instance_broker._overcast_outbox
        WHERE message_type = 'instance.provision' AND envelope->'payload'->>'instanceId' = $1`,
      [instanceId],
    );
    return Number(rows[0]?.count);
  }

  function registerImage(
    tenantId: string,
    provider: string,
    imageId: string,
    state: 'available' | 'unavailable' = 'available',
  ) {
    const image = {
      id: randomUUID(),
      tenantId,
      provider,
      imageId,
      role: 'worker',
      name: imageId,
      active: false,
      state,
    };
    return opened.store.images.insert(image);
  }

  it("refuses an image that is not in the provider's catalog, naming it, and writes nothing", async () => {
    await registerImage('images', 'aws', 'ami-retired', 'unavailable');
    await registerImage('other-tenant', 'aws', 'ami-theirs');
    const refusals = await Promise.all(
      [
        { image: 'nonexistent-image' },
        { provider: 'aws', image: 'debian-12' },
        { provider: 'aws', image: 'ami-theirs' },
        { provider: 'aws', image: 'ami-retired' },
      ].map((fields) =>
        createInstance({ ...request('images'), ...fields }).then(
          () => {
            throw new Error(`${fields.image} was accepted`);
          },
          (error: unknown) => error as AppError,
        ),
      ),
    );
    expect(refusals.map((refusal) => [refusal.code, refusal.details?.[0]?.path, refusal.message])).toEqual([
      ['unprocessable', 'image', expect.stringContaining('unknown image "nonexistent-image" for provider "fake"')],
      ['unprocessable', 'image', expect.stringContaining('unknown image "debian-12" for provider "aws"')],
      ['unprocessable', 'image', expect.stringContaining('unknown image "ami-theirs" for provider "aws"')],
      ['unprocessable', 'image', 'image "ami-retired" of provider "aws" is unavailable'],
    ]);
    expect(await opened.store.instances.list('images', {}, 50, null)).toEqual([]);
    // The fake cloud offers standard-image itself; a registered AMI is the tenant's catalog on aws.
    await registerImage('images', 'aws', 'ami-0bb2');
    await expect(createInstance({ ...request('images'), image: 'standard-image' })).resolves.toBeDefined();
    await expect(createInstance({ ...request('images'), provider: 'aws', image: 'ami-0bb2' })).resolves.toBeDefined();
  });

  it("resolves instance types per provider: cloud-brain's default is standard, EC2's own types boot on aws only", async () => {
    const defaulted = await createInstance({ ...request('types'), instanceType: 'default' });
    expect(defaulted.instanceType).toBe('standard');
    await registerImage('types', 'aws', 'ami-0aa1');
    const onAws = { provider: 'aws', image: 'ami-0aa1' };
    const native = await createInstance({ ...request('types'), ...onAws, instanceType: 'c3.2xlarge' });
    expect((await opened.store.instances.findById(native.id))?.instanceType).toBe('c3.2xlarge');
    const refused = await createInstance({ ...request('types'), ...onAws, instanceType: 'n1-standard-4' }).catch(
      (error: unknown) => error as AppError,
    );
    expect(refused).toMatchObject({ code: 'unprocessable' });
    expect((refused as AppError).details).toEqual([
      { path: 'instance_type', message: expect.stringContaining('"aws" has no instance type "n1-standard-4"') },
    ]);
  });

  it('without a key every request is a new instance, written with its provision command', async () => {
    const [first, second] = await Promise.all([createInstance(request('plain')), createInstance(request('plain'))]);
    expect(first?.id).not.toBe(second?.id);
    for (const created of [first, second]) {
      expect(await opened.store.instances.findById(created?.id ?? '')).toMatchObject({
        tenantId: 'plain',
        state: 'creating',
      });
      expect(await provisionCommandsFor(created?.id ?? '')).toBe(1);
    }
  });

  it('keyed and unkeyed creates of one turn share the statement: one instance per key, one per unkeyed request', async () => {
    const answers = await Promise.all([
      ...Array.from({ length: 4 }, () => createInstance(request('mixed', 'same-key'))),
      ...Array.from({ length: 3 }, () => createInstance(request('mixed'))),
    ]);
    const keyed = new Set(answers.slice(0, 4).map((instance) => instance.id));
    expect(keyed.size).toBe(1);
    const listed = await opened.store.instances.list('mixed', {}, 50, null);
    expect(listed).toHaveLength(4);
    for (const instance of listed) expect(await provisionCommandsFor(instance.id)).toBe(1);
  });

  it('answers a retry with the first instance until the key expires, then claims the key for a new one', async () => {
    const first = await createInstance(request('expiry', 'k'));
    now = new Date(now.getTime() + ttlMs - 1);
    expect((await createInstance(request('expiry', 'k'))).id).toBe(first.id);
    now = new Date(now.getTime() + 2);
    const after = await createInstance(request('expiry', 'k'));
    expect(after.id).not.toBe(first.id);
    expect((await opened.store.idempotencyKeys.find('expiry', 'k'))?.instanceId).toBe(after.id);
    expect(await opened.store.instances.list('expiry', {}, 50, null)).toHaveLength(2);
  });

  it('refuses the same key with another request as a conflict, writing nothing', async () => {
    await createInstance(request('conflict', 'k'));
    const refusal = await createInstance({ ...request('conflict', 'k'), image: 'standard-image' }).catch(
      (error: unknown) => error,
    );
    expect((refusal as AppError).code).toBe('conflict');
    expect(await opened.store.instances.list('conflict', {}, 50, null)).toHaveLength(1);
  });

  it('keeps NUL out of every stored text: the request is refused and nothing of it is written', async () => {
    const refusal = await createInstance({ ...request('nul', 'k'), env: 'stag\u0000ing' }).catch(
      (error: unknown) => error,
    );
    expect(refusal).toMatchObject({ code: '22021' });
    expect(await opened.store.instances.list('nul', {}, 50, null)).toEqual([]);
    expect(await opened.store.idempotencyKeys.find('nul', 'k')).toBeNull();
  });
});

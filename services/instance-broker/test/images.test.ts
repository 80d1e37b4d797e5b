import { activateImageRpc, listImagesRpc, registerImageRpc, type AppError } from '@overcast/contracts';
import { describeWithPostgres, waitFor } from '@overcast/test-kit';
import { createProviderRegistry } from '@overcast/providers';
import { createBrokerEnvironment, type BrokerEnvironment } from './support/broker-environment';
import { ObservedProvider } from './support/observed-provider';

describeWithPostgres('the boot image catalog', () => {
  let environment: BrokerEnvironment;

  beforeAll(async () => {
    environment = await createBrokerEnvironment();
    // A cloud that offers no images by itself (as AWS here): the catalog is what each tenant registered.
    const cloud = new ObservedProvider({ images: [] });
    await environment.startReplica({ providers: createProviderRegistry([cloud]) });
  });

  afterAll(async () => {
    await environment?.close();
  });

  it("keeps one active image per provider and role, and lists with pudding's filters", async () => {
    const { client } = environment;
    const old = await client.call(registerImageRpc, {
      tenantId: 't1',
      provider: 'fake',
      imageId: 'ami-old',
      role: 'web',
      active: true,
    });
    // Images of the same millisecond are listed by id, not in the order they were registered: the next gets its own.
    await waitFor('the clock to pass the first registration', () => Date.now() > Date.parse(old.createdAt), {
      intervalMs: 1,
    });
    const next = await client.call(registerImageRpc, {
      tenantId: 't1',
      provider: 'fake',
      imageId: 'ami-new',
      role: 'web',
      name: 'web-2',
    });
    const worker = await client.call(registerImageRpc, {
      tenantId: 't1',
      provider: 'fake',
      imageId: 'ami-w',
      role: 'worker',
      active: true,
    });
    expect(old).toMatchObject({ active: true, name: 'ami-old', state: 'available' });
    expect(next.active).toBe(false);

    expect(await client.call(activateImageRpc, { tenantId: 't1', id: next.id })).toMatchObject({
      id: next.id,
      active: true,
    });
    const active = await client.call(listImagesRpc, { tenantId: 't1', active: true });
    expect(active.images.map((image) => image.imageId).sort()).toEqual(['ami-new', 'ami-w']);
    const web = await client.call(listImagesRpc, { tenantId: 't1', role: 'web' });
    expect(web.images.map((image) => [image.imageId, image.active])).toEqual([
      ['ami-new', true],
      ['ami-old', false],
    ]);
    expect((await client.call(activateImageRpc, { tenantId: 't1', id: worker.id })).active).toBe(true);
  });

  it('refuses a second registration of the same provider image as a conflict', async () => {
    const { client } = environment;
    await client.call(registerImageRpc, { tenantId: 't2', provider: 'fake', imageId: 'ami-dup', role: 'web' });
    const error = await client
      .call(registerImageRpc, { tenantId: 't2', provider: 'fake', imageId: 'ami-dup', role: 'web' })
      .catch((thrown: unknown) => thrown);
    expect((error as AppError).code).toBe('conflict');
  });

  it("hides another tenant's images", async () => {
    const { client } = environment;
    const mine = await client.call(registerImageRpc, {
      tenantId: 't3',
      provider: 'fake',
      imageId: 'ami-mine',
      role: 'web',
    });
    expect((await client.call(listImagesRpc, { tenantId: 't4' })).images).toEqual([]);
    const error = await client
      .call(activateImageRpc, { tenantId: 't4', id: mine.id })
      .catch((thrown: unknown) => thrown);
    expect((error as AppError).code).toBe('not_found');
  });
});

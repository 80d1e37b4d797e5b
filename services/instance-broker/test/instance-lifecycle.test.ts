import {
  AppError,
  createInstanceRpc,
  getInstanceRpc,
  listInstancesRpc,
  readInstanceConsoleRpc,
  registerImageRpc,
  terminateInstanceRpc,
} from '@overcast/contracts';
import { describeWithPostgres, waitFor } from '@overcast/test-kit';
import { createProviderRegistry } from '@overcast/providers';
import { createBrokerEnvironment, type BrokerEnvironment } from './support/broker-environment';
import { ObservedProvider } from './support/observed-provider';

describeWithPostgres('instance life cycle over RabbitMQ and Postgres', () => {
  let environment: BrokerEnvironment;
  const fake = new ObservedProvider();

  beforeAll(async () => {
    environment = await createBrokerEnvironment();
    await environment.startReplica({ providers: createProviderRegistry([fake]) });
  });

  afterAll(async () => {
    await environment?.close();
  });

  it('creates, runs, terminates and keeps a terminated instance readable', async () => {
    const { client } = environment;
    const created = await client.call(createInstanceRpc, {
      tenantId: 't1',
      provider: 'fake',
      image: 'standard-image',
      instanceType: 'premium',
      publicSshKey: 'ssh-ed25519 AAAA test',
      env: 'staging',
      site: 'org',
    });
    expect(created).toMatchObject({
      state: 'creating',
      instanceType: 'premium',
      env: 'staging',
      site: 'org',
      ipAddress: null,
    });

    const running = await waitFor('the instance to run', async () => {
      const instance = await client.call(getInstanceRpc, { tenantId: 't1', id: created.id });
      return instance.state === 'running' && instance;
    });
    expect(running.upstreamId).toBe((await fake.getInstance(created.id))?.upstreamId);
    expect(running.ipAddress).not.toBeNull();
    // The size class reached the provider (cloud-brain always built the standard machine type).
    expect(fake.createInputs.find((input) => input.id === created.id)).toMatchObject({
      instanceType: 'premium',
      sshPublicKey: 'ssh-ed25519 AAAA test',
      tags: { env: 'staging', site: 'org' },
    });

    const terminating = await client.call(terminateInstanceRpc, { tenantId: 't1', id: created.id });
    expect(terminating.state).toBe('terminating');
    const terminated = await waitFor('the instance to be terminated', async () => {
      const instance = await client.call(getInstanceRpc, { tenantId: 't1', id: created.id });
      return instance.state === 'terminated' && instance;
    });
    expect(terminated.id).toBe(created.id);
    expect(await fake.stateOf(created.id)).toBe('terminated');

    // Listed only when asked for: without a state filter a listing holds the instances that exist.
    const listed = async (state?: 'terminated') =>
      (await client.call(listInstancesRpc, { tenantId: 't1', limit: 500, state })).instances.map((i) => i.id);
    expect(await listed()).not.toContain(created.id);
    expect(await listed('terminated')).toContain(created.id);
  });

  it("answers not found for another tenant's instance and for a malformed id", async () => {
    const { client } = environment;
    const created = await client.call(createInstanceRpc, { tenantId: 't1', provider: 'fake', image: 'standard-image' });
    for (const request of [
      { tenantId: 't2', id: created.id },
      { tenantId: 't1', id: 'not-a-uuid' },
    ]) {
      const error = await client.call(getInstanceRpc, request).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('not_found');
    }
    const terminateOther = await client
      .call(terminateInstanceRpc, { tenantId: 't2', id: created.id })
      .catch((thrown: unknown) => thrown);
    expect((terminateOther as AppError).code).toBe('not_found');
  });

  it("refuses to read a console the provider does not keep, and hides other tenants' consoles", async () => {
    const { client } = environment;
    const created = await client.call(createInstanceRpc, { tenantId: 't1', provider: 'fake', image: 'standard-image' });
    const unkept = await client
      .call(readInstanceConsoleRpc, { tenantId: 't1', id: created.id })
      .catch((thrown: unknown) => thrown);
    expect((unkept as AppError).code).toBe('unprocessable');
    expect((unkept as AppError).message).toBe('provider fake keeps no console');
    for (const request of [
      { tenantId: 't2', id: created.id },
      { tenantId: 't1', id: 'not-a-uuid' },
    ]) {
      const hidden = await client.call(readInstanceConsoleRpc, request).catch((thrown: unknown) => thrown);
      expect((hidden as AppError).code).toBe('not_found');
    }
  });

  it('refuses an unknown provider as unprocessable, naming the field', async () => {
    const error = await environment.client
      .call(createInstanceRpc, { tenantId: 't1', provider: 'nope', image: 'x' })
      .catch((thrown: unknown) => thrown);
    expect((error as AppError).code).toBe('unprocessable');
    expect((error as AppError).details[0]?.path).toBe('provider');
  });

  it('refuses an image the catalog does not have as unprocessable, naming the field', async () => {
    const error = await environment.client
      .call(createInstanceRpc, { tenantId: 't1', provider: 'fake', image: 'nonexistent-image' })
      .catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'unprocessable', details: [{ path: 'image' }] });
  });

  it('marks an instance errored with the reason when the provider refuses it for good', async () => {
    const { client } = environment;
    // Registered in the tenant's catalog, then deleted from the cloud: the create is accepted, the provider refuses.
    const deregistered = { tenantId: 't1', provider: 'fake', imageId: 'ami-deregistered', role: 'worker' };
    await client.call(registerImageRpc, { ...deregistered, active: false });
    const created = await client.call(createInstanceRpc, {
      tenantId: 't1',
      provider: 'fake',
      image: 'ami-deregistered',
    });
    const errored = await waitFor('the instance to be errored', async () => {
      const instance = await client.call(getInstanceRpc, { tenantId: 't1', id: created.id });
      return instance.state === 'errored' && instance;
    });
    expect(errored.errorReason).toBe('fake: unknown image "ami-deregistered"');
  });

  it("lists a tenant's instances newest first, filtered, page by page", async () => {
    const { client } = environment;
    const ids: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      const created = await client.call(createInstanceRpc, {
        tenantId: 'lister',
        provider: 'fake',
        image: 'standard-image',
        queue: index % 2 ? 'odd' : 'even',
      });
      ids.push(created.id);
      // Rows of the same millisecond are listed by id, not in the order they were made: each gets its own.
      await waitFor('the clock to pass the last creation', () => Date.now() > Date.parse(created.createdAt), {
        intervalMs: 1,
      });
    }
    const first = await client.call(listInstancesRpc, { tenantId: 'lister', limit: 2 });
    expect(first.instances.map((instance) => instance.id)).toEqual([ids[4], ids[3]]);
    const second = await client.call(listInstancesRpc, {
      tenantId: 'lister',
      limit: 2,
      cursor: first.nextCursor ?? '',
    });
    const third = await client.call(listInstancesRpc, {
      tenantId: 'lister',
      limit: 2,
      cursor: second.nextCursor ?? '',
    });
    expect([...second.instances, ...third.instances].map((instance) => instance.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(third.nextCursor).toBeNull();
    const odd = await client.call(listInstancesRpc, { tenantId: 'lister', limit: 50, queue: 'odd' });
    expect(odd.instances.map((instance) => instance.id)).toEqual([ids[3], ids[1]]);
    const otherTenant = await client.call(listInstancesRpc, { tenantId: 'nobody', limit: 50 });
    expect(otherTenant.instances).toEqual([]);
  });
});

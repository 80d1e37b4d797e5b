import type { AppError } from '@overcast/contracts';
import { createInstanceRpc, listInstancesRpc } from '@overcast/contracts';
import { describeWithPostgres, waitFor } from '@overcast/test-kit';
import { createProviderRegistry } from '@overcast/providers';
import { createBrokerEnvironment, type BrokerEnvironment } from './support/broker-environment';
import { ObservedProvider } from './support/observed-provider';

describeWithPostgres('Idempotency-Key on instance creation', () => {
  let environment: BrokerEnvironment;
  const fake = new ObservedProvider();

  beforeAll(async () => {
    environment = await createBrokerEnvironment();
    await environment.startReplica({ providers: createProviderRegistry([fake]) });
  });

  afterAll(async () => {
    await environment?.close();
  });

  const request = { tenantId: 't1', provider: 'fake', image: 'standard-image', env: 'staging' };

  it('answers the first result to a repeat with the same key, and creates one instance', async () => {
    const first = await environment.client.call(createInstanceRpc, { ...request, idempotencyKey: 'key-1' });
    const again = await environment.client.call(createInstanceRpc, { ...request, idempotencyKey: 'key-1' });
    expect(again.id).toBe(first.id);
    await waitFor('the provider instance', async () => (await fake.stateOf(first.id)) !== null);
    expect(fake.fake.launches).toBe(1);
    const listed = await environment.client.call(listInstancesRpc, { tenantId: 't1', limit: 50 });
    expect(listed.instances.map((instance) => instance.id)).toEqual([first.id]);
  });

  it('creates exactly one instance for concurrent requests with the same key', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        environment.client.call(createInstanceRpc, { ...request, tenantId: 't2', idempotencyKey: 'race' }),
      ),
    );
    expect(new Set(results.map((instance) => instance.id)).size).toBe(1);
    const listed = await environment.client.call(listInstancesRpc, { tenantId: 't2', limit: 50 });
    expect(listed.instances).toHaveLength(1);
  });

  it('refuses the same key with a different request as a conflict', async () => {
    await environment.client.call(createInstanceRpc, { ...request, idempotencyKey: 'key-2' });
    const error = await environment.client
      .call(createInstanceRpc, { ...request, image: 'debian-12', idempotencyKey: 'key-2' })
      .catch((thrown: unknown) => thrown);
    expect((error as AppError).code).toBe('conflict');
  });

  it('scopes keys per tenant', async () => {
    const mine = await environment.client.call(createInstanceRpc, {
      ...request,
      tenantId: 't3',
      idempotencyKey: 'shared',
    });
    const theirs = await environment.client.call(createInstanceRpc, {
      ...request,
      tenantId: 't4',
      idempotencyKey: 'shared',
    });
    expect(theirs.id).not.toBe(mine.id);
  });
});

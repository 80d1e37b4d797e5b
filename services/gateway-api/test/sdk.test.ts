import type { Database } from '@overcast/db';
import { createMemoryBus, type Bus } from '@overcast/messaging';
import { createClient, OvercastApiError } from '@overcast/sdk';
import { describeWithPostgres, type TestDatabase } from '@overcast/test-kit';
import { startBrokerStub, type BrokerStub } from './support/broker-stub';
import { createToken, openMigratedDatabase, startGateway, type RunningGateway } from './support/gateway-harness';

// The gateway as a user meets it: through @overcast/sdk.
describeWithPostgres('the gateway through the SDK', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let bus: Bus;
  let broker: BrokerStub;
  let gateway: RunningGateway;
  let adminToken: string;

  beforeAll(async () => {
    ({ testDatabase, database } = await openMigratedDatabase());
    bus = createMemoryBus();
    await bus.start();
    broker = await startBrokerStub(bus);
    gateway = await startGateway({ database, bus });
    adminToken = await createToken(database, 'admin');
  });

  afterAll(async () => {
    await gateway.stop();
    await broker.stop();
    await bus.stop();
    await database.close();
    await testDatabase.drop();
  });

  it('refuses a client without a token with a typed 401', async () => {
    const anonymous = createClient({ baseUrl: gateway.url });
    await expect(anonymous.tokens.list()).rejects.toMatchObject({
      name: 'AuthenticationError',
      status: 401,
      code: 'unauthenticated',
    });
  });

  it('lets an admin mint a developer token that then works, and refuses the developer an admin token', async () => {
    const admin = createClient({ baseUrl: gateway.url, token: adminToken });
    const created = await admin.tokens.create({ description: 'sdk developer', role: 'developer' });
    const developer = createClient({ baseUrl: gateway.url, token: created.token });
    await expect(developer.tokens.list()).resolves.toEqual([
      expect.objectContaining({ id: created.id, description: 'sdk developer' }),
    ]);
    const refused = await developer.tokens
      .create({ description: 'nope', role: 'admin' })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OvercastApiError);
    expect(refused).toMatchObject({ status: 403, code: 'forbidden' });
  });

  it('runs an instance through create, get, list, delete and a terminated 410', async () => {
    const client = createClient({ baseUrl: gateway.url, token: await createToken(database, 'developer') });
    const instance = await client.instances.create(
      { provider: 'fake', image: 'image-2016-01-01', env: 'staging' },
      { idempotencyKey: 'sdk-1' },
    );
    expect(instance.state).toBe('creating');
    await expect(client.instances.get(instance.id)).resolves.toMatchObject({ id: instance.id });
    const all = [];
    for await (const listed of client.instances.all({ env: 'staging' })) all.push(listed.id);
    expect(all).toEqual([instance.id]);
    await expect(client.instances.delete(instance.id)).resolves.toMatchObject({ state: 'terminating' });
    const stored = broker.instances.get(instance.id);
    if (stored) stored.state = 'terminated';
    await expect(client.instances.get(instance.id)).resolves.toMatchObject({ state: 'terminated' });
  });

  it('runs an instance build and fetches its init script', async () => {
    const client = createClient({ baseUrl: gateway.url, token: await createToken(database, 'developer') });
    const build = await client.builds.create({
      site: 'org',
      env: 'test',
      instance_type: 'standard',
      count: 1,
      queue: 'docker',
      role: 'worker',
    });
    expect(build.state).toBe('pending');
    await expect(client.builds.get(build.id)).resolves.toMatchObject({ id: build.id });
    await expect(client.builds.reportProgress(build.id, { state: 'finished', instanceId: 'i-1' })).resolves.toBe(true);
    await expect(client.builds.reportProgress(build.id, { state: 'started' })).resolves.toBe(false);
    await expect(client.builds.getInitScript(build.id)).resolves.toContain('booting worker');
  });

  it('reports the platform status', async () => {
    const status = await createClient({ baseUrl: gateway.url, token: adminToken }).status();
    expect(status).toMatchObject({
      status: 'ok',
      services: [
        { service: 'gateway-api', status: 'up' },
        { service: 'instance-broker', status: 'up' },
      ],
    });
  });
});

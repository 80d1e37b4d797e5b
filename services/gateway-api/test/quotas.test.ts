import type { Database } from '@overcast/db';
import { describeWithServices, type TestDatabase } from '@overcast/test-kit';
import {
  authorization,
  createToken,
  openMigratedDatabase,
  startGateway,
  type RunningGateway,
} from './support/gateway-harness';
import { startRealBroker, type RealBroker } from './support/real-broker';
import { specCheckedFetch } from './support/spec-conformance';

const limit = 3;

const build = (count: number) => ({
  instance_builds: {
    site: 'org',
    env: 'staging',
    role: 'worker',
    queue: 'docker',
    instance_type: 'standard',
    count,
    image: 'standard-image',
  },
});

const quotaDetail = (used: number, requested: number) => {
  const message = `instances quota exceeded: ${used} of ${limit} in use, ${requested} requested`;
  return { path: 'quota.instances', message, quota: { name: 'instances', limit, used, requested } };
};

// The probe of issue 10 ran five `count: 100` builds in a row, and nothing stopped it. A build boots one instance
// (`count` is its VM concurrency), so each takes one of the quota. Against the real instance broker (its quota
// lowered), its Postgres and RabbitMQ.
describeWithServices('instance quotas at the gateway', () => {
  const { fetch, problems } = specCheckedFetch();
  let testDatabase: TestDatabase;
  let database: Database;
  let broker: RealBroker;
  let gateway: RunningGateway;
  let developer: string;
  let otherTenant: string;

  beforeAll(async () => {
    ({ testDatabase, database } = await openMigratedDatabase());
    broker = await startRealBroker(testDatabase.url, { INSTANCE_QUOTA_PER_TENANT: String(limit) });
    gateway = await startGateway({ database, bus: broker.gatewayBus });
    developer = await createToken(database, 'developer');
    otherTenant = await createToken(database, 'developer', 'another-tenant');
  });

  afterAll(async () => {
    await gateway?.stop();
    await broker?.stop();
    await database?.close();
    await testDatabase?.drop();
  });

  afterEach(() => expect(problems.splice(0)).toEqual([]));

  const call = (method: string, path: string, token: string, body?: unknown) =>
    fetch(`${gateway.url}${path}`, {
      method,
      headers: { ...authorization(token), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  const quotas = async (token: string) => (await call('GET', '/quotas', token)).json();

  it('takes one of the quota per count-100 build and refuses builds once it is reached, with 403 naming the quota', async () => {
    expect(await quotas(developer)).toEqual({ quotas: [{ name: 'instances', limit, used: 0 }] });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const response = await call('POST', '/instance-builds', developer, build(100));
      statuses.push(response.status);
      if (response.status !== 403) continue;
      const detail = quotaDetail(limit, 1);
      expect(await response.json()).toEqual({
        error: { code: 'quota_exceeded', message: detail.message, details: [detail], request_id: expect.any(String) },
        errors: [{ details: detail.message }],
      });
    }
    expect(statuses).toEqual([202, 202, 202, 403, 403]);
    expect(await quotas(developer)).toEqual({ quotas: [{ name: 'instances', limit, used: limit }] });
  });

  it("refuses POST /instances beyond the quota in cloud-brain's shape, and lets what is left be used", async () => {
    const third = await createToken(database, 'developer', 'third-tenant');
    expect((await call('POST', '/instance-builds', third, build(49))).status).toBe(202);
    for (let i = 1; i < limit; i += 1)
      expect((await call('POST', '/instances', third, { provider: 'fake', image: 'standard-image' })).status).toBe(200);
    const refused = await call('POST', '/instances', third, { provider: 'fake', image: 'standard-image' });
    expect(refused.status).toBe(403);
    const detail = quotaDetail(limit, 1);
    expect(await refused.json()).toEqual({
      error: { code: 'quota_exceeded', message: detail.message, details: [detail], request_id: expect.any(String) },
      errors: [`quota.instances: ${detail.message}`],
    });
    expect(await quotas(third)).toEqual({ quotas: [{ name: 'instances', limit, used: limit }] });
  });

  it('keeps one tenant at its limit from blocking another', async () => {
    expect((await call('POST', '/instances', otherTenant, { provider: 'fake', image: 'standard-image' })).status).toBe(
      200,
    );
    expect((await call('POST', '/instance-builds', otherTenant, build(100))).status).toBe(202);
    expect(await quotas(otherTenant)).toEqual({ quotas: [{ name: 'instances', limit, used: 2 }] });
    expect(await quotas(developer)).toEqual({ quotas: [{ name: 'instances', limit, used: limit }] });
  });

  it('answers 401 to GET /quotas without a token', async () => {
    expect((await fetch(`${gateway.url}/quotas`)).status).toBe(401);
  });
});

import os from 'node:os';
import path from 'node:path';
import { runCli } from '@overcast/cli';
import type { Database } from '@overcast/db';
import { deleteAmqpTopology } from '@overcast/messaging';
import { createClient, QuotaExceededError } from '@overcast/sdk';
import { describeWithServices, testAmqpUrl, type TestDatabase } from '@overcast/test-kit';
import {
  authorization,
  createToken,
  openMigratedDatabase,
  startGateway,
  type RunningGateway,
} from './support/gateway-harness';
import { startRealAppManager, type RealAppManager } from './support/real-app-manager';
import { startRealBroker, type RealBroker } from './support/real-broker';
import { specCheckedFetch } from './support/spec-conformance';

const limit = 3;
/** The app manager's own limits, lowered so the test reaches them. */
const districtLimit = 2;
const appLimit = 2;

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
// (`count` is its VM concurrency), so each takes one of the quota. Against the real instance broker and app manager
// (their quotas lowered), their Postgres and RabbitMQ: GET /quotas lists what both own.
describeWithServices('quotas at the gateway', () => {
  const { fetch, problems } = specCheckedFetch();
  let testDatabase: TestDatabase;
  let database: Database;
  let broker: RealBroker;
  let appManager: RealAppManager;
  let gateway: RunningGateway;
  let developer: string;
  let otherTenant: string;

  beforeAll(async () => {
    ({ testDatabase, database } = await openMigratedDatabase());
    broker = await startRealBroker(testDatabase.url, { INSTANCE_QUOTA_PER_TENANT: String(limit) });
    appManager = await startRealAppManager(testDatabase.url, broker.gatewayBus, {
      DISTRICT_QUOTA_PER_TENANT: String(districtLimit),
      APP_QUOTA_PER_TENANT: String(appLimit),
    });
    gateway = await startGateway({ database, bus: broker.gatewayBus });
    developer = await createToken(database, 'developer');
    otherTenant = await createToken(database, 'developer', 'another-tenant');
  });

  afterAll(async () => {
    await gateway?.stop();
    await appManager?.stop();
    await broker?.stop();
    if (broker) {
      await deleteAmqpTopology({
        url: testAmqpUrl(),
        namespace: broker.namespace,
        queues: ['app-manager', 'app-manager.instance-events'],
        services: ['app-manager'],
      });
    }
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
  /** What GET /quotas answers with `instances` in use and no district or app. */
  const withInstances = (used: number) => ({
    quotas: [
      { name: 'instances', limit, used },
      { name: 'districts', limit: districtLimit, used: 0 },
      { name: 'apps', limit: appLimit, used: 0 },
    ],
  });

  it('takes one of the quota per count-100 build and refuses builds once it is reached, with 403 naming the quota', async () => {
    expect(await quotas(developer)).toEqual(withInstances(0));
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
    expect(await quotas(developer)).toEqual(withInstances(limit));
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
    expect(await quotas(third)).toEqual(withInstances(limit));
  });

  it('keeps one tenant at its limit from blocking another', async () => {
    expect((await call('POST', '/instances', otherTenant, { provider: 'fake', image: 'standard-image' })).status).toBe(
      200,
    );
    expect((await call('POST', '/instance-builds', otherTenant, build(100))).status).toBe(202);
    expect(await quotas(otherTenant)).toEqual(withInstances(2));
    expect(await quotas(developer)).toEqual(withInstances(limit));
  });

  it("lists the app manager's districts and apps beside the instances, through the SDK and `overcast quotas`", async () => {
    const admin = await createToken(database, 'admin', 'app-tenant');
    const member = await createToken(database, 'developer', 'app-tenant');
    const client = createClient({ baseUrl: gateway.url, token: member });
    const app = (name: string) => ({ name, image_name: 'nginx', services: [{ name: 'web' }] });
    for (const name of ['east', 'west'])
      expect((await call('POST', '/districts', admin, { name, provider: 'fake' })).status).toBe(200);
    const refusedDistrict = await call('POST', '/districts', admin, { name: 'north', provider: 'fake' });
    expect(refusedDistrict.status).toBe(403);
    expect(await refusedDistrict.json()).toMatchObject({
      error: {
        code: 'quota_exceeded',
        details: [
          { path: 'quota.districts', quota: { name: 'districts', limit: districtLimit, used: 2, requested: 1 } },
        ],
      },
    });
    expect((await call('POST', '/districts/east/apps', member, app('shop'))).status).toBe(200);
    expect(await client.quotas()).toEqual([
      { name: 'instances', limit, used: 0 },
      { name: 'districts', limit: districtLimit, used: 2 },
      { name: 'apps', limit: appLimit, used: 1 },
    ]);
    expect((await call('POST', '/districts/west/apps', member, app('blog'))).status).toBe(200);
    const refusedApp = client.apps.create('east', app('wiki'));
    await expect(refusedApp).rejects.toBeInstanceOf(QuotaExceededError);
    await expect(refusedApp).rejects.toMatchObject({
      details: [{ path: 'quota.apps', quota: { name: 'apps', limit: appLimit, used: appLimit, requested: 1 } }],
    });

    let output = '';
    const code = await runCli(['quotas'], {
      stdout: (text) => (output += text),
      stderr: (text) => (output += text),
      env: { OVERCAST_URL: gateway.url, OVERCAST_TOKEN: member },
      homeDirectory: path.join(os.tmpdir(), 'overcast-cli-home-unused'),
    });
    expect(code).toBe(0);
    expect(output).toMatch(
      /^QUOTA\s+USED\s+LIMIT\s+LEFT\ninstances\s+0\s+3\s+3\ndistricts\s+2\s+2\s+0\napps\s+2\s+2\s+0\n$/,
    );
    // Deleting an app gives its place back, and the other tenants never saw any of it.
    expect((await call('DELETE', '/apps/blog', member)).status).toBe(204);
    expect((await client.quotas()).find((quota) => quota.name === 'apps')).toEqual({ name: 'apps', limit: 2, used: 1 });
    expect(await quotas(otherTenant)).toEqual(withInstances(2));
  });

  it('answers 401 to GET /quotas without a token', async () => {
    expect((await fetch(`${gateway.url}/quotas`)).status).toBe(401);
  });
});

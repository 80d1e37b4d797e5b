import { createClient, OvercastApiError } from '../src';
import type { OvercastClient } from '../src';
import type { SpecCheckedServer } from './support/spec-checked-server';
import { startSpecCheckedServer } from './support/spec-checked-server';

/** The fake gateway's app-manager quotas: it serves no districts or apps, so none is in use. */
const appManagerQuotas = [
  { name: 'districts', limit: 100, used: 0 },
  { name: 'apps', limit: 10_000, used: 0 },
];

describe('client.quotas and quota refusals against a gateway answering per the spec', () => {
  let gateway: SpecCheckedServer;
  let client: OvercastClient;

  beforeEach(async () => {
    gateway = await startSpecCheckedServer();
    client = createClient({ baseUrl: gateway.server.url, token: gateway.server.developerToken, fetch: gateway.fetch });
  });
  afterEach(async () => {
    await gateway.server.close();
    expect(gateway.problems).toEqual([]);
  });

  const build = {
    site: 'org',
    env: 'staging',
    instance_type: 'standard',
    count: 2,
    queue: 'docker',
    role: 'worker',
    image: 'img-1',
  } as const;

  it('shows each quota with its limit and what is in use', async () => {
    expect(await client.quotas()).toEqual([{ name: 'instances', limit: 100, used: 0 }, ...appManagerQuotas]);
    await client.instances.create({ provider: 'local', image: 'img-1' });
    await client.builds.create(build);
    // A build boots one instance: its count (2) is the VM concurrency.
    expect(await client.quotas()).toEqual([{ name: 'instances', limit: 100, used: 2 }, ...appManagerQuotas]);
  });

  it('rejects a create beyond the quota with a typed 403 naming the quota', async () => {
    gateway.server.state.instanceQuota = 3;
    await client.instances.create({ provider: 'local', image: 'img-1' });
    await client.builds.create({ ...build, count: 3 });
    await client.builds.create(build);
    const refused = await client.builds.create(build).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OvercastApiError);
    expect(refused).toMatchObject({
      status: 403,
      code: 'quota_exceeded',
      details: [{ path: 'quota.instances', quota: { name: 'instances', limit: 3, used: 3, requested: 1 } }],
    });
    await expect(client.instances.create({ provider: 'local', image: 'img-1' })).rejects.toMatchObject({
      status: 403,
      code: 'quota_exceeded',
    });
    expect(await client.quotas()).toEqual([{ name: 'instances', limit: 3, used: 3 }, ...appManagerQuotas]);
  });
});

import { appManagerQuotasRpc, createAppRpc, createDistrictRpc, deleteAppRpc } from '@overcast/contracts';
import { createAppManagerEnvironment, type AppManagerEnvironment } from './support/app-manager-environment';

let env: AppManagerEnvironment;

beforeAll(async () => {
  env = await createAppManagerEnvironment();
  await env.startReplica({ config: { DISTRICT_QUOTA_PER_TENANT: '2', APP_QUOTA_PER_TENANT: '3' } });
});
afterAll(async () => {
  await env?.close();
});

const app = (tenantId: string, name: string) => ({
  tenantId,
  district: 'home',
  name,
  image_name: 'nginx',
  services: [{ name: 'web' }],
});

it("refuses a tenant's districts and apps over its quota with the instances' refusal, even when asked at once", async () => {
  await env.client.call(createDistrictRpc, { tenantId: 'tenant-q', name: 'home', provider: 'fake' });
  const districts = await Promise.allSettled(
    ['second', 'third', 'fourth'].map((name) =>
      env.client.call(createDistrictRpc, { tenantId: 'tenant-q', name, provider: 'fake' }),
    ),
  );
  expect(districts.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
  const [refusal] = districts.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
  expect(refusal).toMatchObject({
    code: 'quota_exceeded',
    message: 'districts quota exceeded: 2 of 2 in use, 1 requested',
    details: [{ path: 'quota.districts', quota: { name: 'districts', limit: 2, used: 2, requested: 1 } }],
  });

  await env.client.call(createDistrictRpc, { tenantId: 'tenant-r', name: 'home', provider: 'fake' });
  const apps = await Promise.allSettled(
    ['a1', 'a2', 'a3', 'a4', 'a5'].map((name) => env.client.call(createAppRpc, app('tenant-q', name))),
  );
  expect(apps.filter((result) => result.status === 'fulfilled')).toHaveLength(3);
  for (const result of apps)
    if (result.status === 'rejected')
      expect(result.reason).toMatchObject({ code: 'quota_exceeded', details: [{ path: 'quota.apps' }] });
  // Another tenant's quota is its own.
  await env.client.call(createAppRpc, app('tenant-r', 'a1'));

  expect(await env.client.call(appManagerQuotasRpc, { tenantId: 'tenant-q' })).toEqual({
    quotas: [
      { name: 'districts', limit: 2, used: 2 },
      { name: 'apps', limit: 3, used: 3 },
    ],
  });
  const created = apps.flatMap((result, index) => (result.status === 'fulfilled' ? [`a${index + 1}`] : []));
  await env.client.call(deleteAppRpc, { tenantId: 'tenant-q', app: created[0] ?? '' });
  await env.client.call(createAppRpc, app('tenant-q', 'a6'));
});

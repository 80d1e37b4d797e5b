import {
  accountsReportRpc,
  challengeMachineImageRpc,
  createCloudAccountRpc,
  dailyUsageReportRpc,
  imagesReportRpc,
  ingestActivityLogRpc,
  listMachineImagesRpc,
} from '@overcast/contracts';
import { createImageInspectorEnvironment } from './support/image-inspector-environment';
import { cloudTrailFile, openshiftTag, powerOff, powerOn, runInstances } from './support/cloudtrail';

type Environment = Awaited<ReturnType<typeof createImageInspectorEnvironment>>;
let env: Environment;
const tenantId = 'tenant-reports';
let accountNumber = 0;

beforeAll(async () => {
  env = await createImageInspectorEnvironment();
});
afterAll(async () => {
  await env?.close();
});

/** A fresh account with these records; images named ami-rhel* are challenged into RHEL (rhel = detected XOR challenged). */
async function accountWith(records: unknown[]) {
  accountNumber += 1;
  const account = await env.client.call(createCloudAccountRpc, {
    tenantId,
    type: 'local',
    name: `account ${accountNumber}`,
  });
  await env.client.call(ingestActivityLogRpc, {
    tenantId,
    accountId: account.id,
    contentBase64: cloudTrailFile(records).toString('base64'),
  });
  const { results } = await env.client.call(listMachineImagesRpc, { tenantId, limit: 1000, offset: 0 });
  for (const image of results.filter((image) => image.cloudImageId.startsWith('ami-rhel') && !image.rhelChallenged)) {
    await env.client.call(challengeMachineImageRpc, { tenantId, id: image.id, rhelChallenged: true });
  }
  return account.id;
}

const report = (accountId: number, start: string, end: string) =>
  env.client.call(dailyUsageReportRpc, { tenantId, accountId, start, end });

describe('daily usage (FACTS 4.5, cloudigrade test_reports_aws.py)', () => {
  it('one RHEL instance on at 00:00 and off at 05:00 ran 18000 s on its day', async () => {
    const accountId = await accountWith([
      runInstances('2018-01-01T00:00:00Z', 'i-1', 'ami-rhel-1'),
      powerOff('2018-01-01T05:00:00Z', 'i-1'),
    ]);
    expect(await report(accountId, '2018-01-01T00:00:00Z', '2018-01-02T00:00:00Z')).toEqual({
      dailyUsage: [
        {
          date: '2018-01-01T00:00:00.000Z',
          rhelInstances: 1,
          openshiftInstances: 0,
          rhelRuntimeSeconds: 18000,
          openshiftRuntimeSeconds: 0,
        },
      ],
      instancesSeenWithRhel: 1,
      instancesSeenWithOpenshift: 0,
    });
  });

  it('a power_on long before the window with no later event counts the whole window', async () => {
    const accountId = await accountWith([runInstances('2017-06-01T00:00:00Z', 'i-2', 'ami-rhel-2')]);
    const { dailyUsage } = await report(accountId, '2018-01-01T00:00:00Z', '2018-01-03T00:00:00Z');
    expect(dailyUsage.map((day) => [day.rhelInstances, day.rhelRuntimeSeconds])).toEqual([
      [1, 86400],
      [1, 86400],
    ]);
  });

  it('overlapping RHEL and OpenShift instances are counted separately', async () => {
    const accountId = await accountWith([
      openshiftTag('2017-12-01T00:00:00Z', 'ami-ocp-3', true),
      runInstances('2018-01-01T01:00:00Z', 'i-3-rhel', 'ami-rhel-3'),
      runInstances('2018-01-01T02:00:00Z', 'i-3-ocp', 'ami-ocp-3'),
      powerOff('2018-01-01T04:00:00Z', 'i-3-rhel'),
      powerOff('2018-01-01T05:00:00Z', 'i-3-ocp'),
    ]);
    const usage = await report(accountId, '2018-01-01T00:00:00Z', '2018-01-02T00:00:00Z');
    expect(usage.dailyUsage[0]).toMatchObject({
      rhelInstances: 1,
      openshiftInstances: 1,
      rhelRuntimeSeconds: 3 * 3600,
      openshiftRuntimeSeconds: 3 * 3600,
    });
    expect(usage).toMatchObject({ instancesSeenWithRhel: 1, instancesSeenWithOpenshift: 1 });
  });

  it('a second power_on while on is ignored', async () => {
    const accountId = await accountWith([
      runInstances('2018-01-01T01:00:00Z', 'i-4', 'ami-rhel-4'),
      powerOn('2018-01-01T02:00:00Z', 'i-4'),
      powerOff('2018-01-01T03:00:00Z', 'i-4'),
    ]);
    const { dailyUsage } = await report(accountId, '2018-01-01T00:00:00Z', '2018-01-02T00:00:00Z');
    expect(dailyUsage[0]?.rhelRuntimeSeconds).toBe(2 * 3600);
  });

  it('a power_off before the window is ignored (the instance stays off until it is powered on)', async () => {
    const accountId = await accountWith([
      runInstances('2017-12-30T00:00:00Z', 'i-5', 'ami-rhel-5'),
      powerOff('2017-12-31T00:00:00Z', 'i-5'),
      powerOn('2018-01-01T10:00:00Z', 'i-5'),
      powerOff('2018-01-01T11:00:00Z', 'i-5'),
    ]);
    const { dailyUsage } = await report(accountId, '2018-01-01T00:00:00Z', '2018-01-02T00:00:00Z');
    expect(dailyUsage[0]?.rhelRuntimeSeconds).toBe(3600);
    const overview = await env.client.call(accountsReportRpc, {
      tenantId,
      accountId,
      start: '2018-01-01T00:00:00Z',
      // Past the account's creation (now): cloudigrade gives no counts for a window ending before it.
      end: '2099-01-01T00:00:00Z',
    });
    expect(overview.cloudAccountOverviews[0]).toMatchObject({ instances: 1, images: 1, rhelInstances: 1 });
  });

  it('daily periods split at midnight, with a partial last day', async () => {
    const accountId = await accountWith([
      runInstances('2018-01-01T20:00:00Z', 'i-6', 'ami-rhel-6'),
      powerOff('2018-01-03T06:00:00Z', 'i-6'),
    ]);
    const { dailyUsage } = await report(accountId, '2018-01-01T00:00:00Z', '2018-01-03T12:00:00Z');
    expect(dailyUsage.map((day) => [day.date, day.rhelRuntimeSeconds])).toEqual([
      ['2018-01-01T00:00:00.000Z', 4 * 3600],
      ['2018-01-02T00:00:00.000Z', 24 * 3600],
      ['2018-01-03T00:00:00.000Z', 6 * 3600],
    ]);
  });

  it('an instance whose image is unknown is not reported, and a window in the future has no days', async () => {
    const accountId = await accountWith([powerOn('2018-01-01T01:00:00Z', 'i-7')]);
    const { dailyUsage } = await report(accountId, '2018-01-01T00:00:00Z', '2018-01-02T00:00:00Z');
    expect(dailyUsage[0]).toMatchObject({ rhelInstances: 0, openshiftInstances: 0, rhelRuntimeSeconds: 0 });
    const future = await report(accountId, '2099-01-01T00:00:00Z', '2099-01-03T00:00:00Z');
    expect(future.dailyUsage).toEqual([]);
  });
});

describe('overviews', () => {
  it('reports accounts by name pattern, with null counts for a window before the account existed', async () => {
    const accountId = await accountWith([runInstances('2018-02-01T00:00:00Z', 'i-8', 'ami-rhel-8')]);
    const window = { start: '2018-02-01T00:00:00Z', end: '2018-02-02T00:00:00Z' };
    const { cloudAccountOverviews } = await env.client.call(accountsReportRpc, {
      tenantId,
      namePattern: `nomatch ACCOUNT ${accountNumber}`,
      ...window,
    });
    // The pattern's words match any account whose name holds one of them ("account" is in every name here).
    expect(cloudAccountOverviews.length).toBe(accountNumber);
    // Each account was created now, after the window: cloudigrade answers null counts.
    expect(cloudAccountOverviews.find((overview) => overview.id === accountId)).toMatchObject({
      type: 'local',
      instances: null,
      rhelInstances: null,
    });
    const later = await env.client.call(accountsReportRpc, {
      tenantId,
      accountId,
      start: '2018-02-01T00:00:00Z',
      end: '2099-01-01T00:00:00Z',
    });
    expect(later.cloudAccountOverviews).toEqual([
      expect.objectContaining({ id: accountId, instances: 1, images: 1, rhelInstances: 1, openshiftInstances: 0 }),
    ]);
  });

  it('reports images with the instances seen and their runtime in the window', async () => {
    const accountId = await accountWith([
      runInstances('2018-03-01T00:00:00Z', 'i-9a', 'ami-rhel-9'),
      runInstances('2018-03-01T00:00:00Z', 'i-9b', 'ami-rhel-9'),
      powerOff('2018-03-01T01:00:00Z', 'i-9a'),
      powerOff('2018-03-01T02:00:00Z', 'i-9b'),
    ]);
    const { images } = await env.client.call(imagesReportRpc, {
      tenantId,
      accountId,
      start: '2018-03-01T00:00:00Z',
      end: '2018-03-02T00:00:00Z',
    });
    expect(images).toEqual([
      expect.objectContaining({
        cloudImageId: 'ami-rhel-9',
        rhel: true,
        rhelChallenged: true,
        instancesSeen: 2,
        runtimeSeconds: 3 * 3600,
      }),
    ]);
    const otherTenant = await env.client.call(imagesReportRpc, {
      tenantId: 'someone-else',
      accountId,
      start: '2018-03-01T00:00:00Z',
      end: '2018-03-02T00:00:00Z',
    });
    expect(otherTenant.images).toEqual([]);
  });
});

import { setTimeout } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import {
  createCloudAccountRpc,
  ingestActivityLogRpc,
  listMachineImagesRpc,
  listPowerEventsRpc,
  listTrackedInstancesRpc,
  usageSysconfigRpc,
} from '@overcast/contracts';
import { createUsageStore } from '../src/data-access/usage-store';
import type { RelevantRecord } from '../src/domain/activity-records';
import { createImageInspectorEnvironment } from './support/image-inspector-environment';
import {
  cloudTrailFile,
  ec2Record,
  gzippedCloudTrailFile,
  openshiftTag,
  powerOff,
  runInstances,
} from './support/cloudtrail';

type Environment = Awaited<ReturnType<typeof createImageInspectorEnvironment>>;
let env: Environment;
const tenantId = 'tenant-logs';

beforeAll(async () => {
  // A small cap so the bomb test inflates a few MB, not 256 MiB.
  env = await createImageInspectorEnvironment({ settings: { ACTIVITY_LOG_MAX_BYTES: String(4 * 1024 * 1024) } });
});
afterAll(async () => {
  await env?.close();
});

async function newAccount(name: string) {
  return env.client.call(createCloudAccountRpc, { tenantId, type: 'local', name });
}

function upload(accountId: number, content: Buffer) {
  return env.client.call(ingestActivityLogRpc, { tenantId, accountId, contentBase64: content.toString('base64') });
}

async function eventCount() {
  return (await env.client.call(listPowerEventsRpc, { tenantId, limit: 1, offset: 0 })).count;
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(Math.random() * (index + 1));
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}

describe('activity logs', () => {
  it('keeps exactly the records cloudigrade kept, with each event the type, subnet and image of its own record', async () => {
    const account = await newAccount('relevance');
    const at = '2018-03-01T10:00:00Z';
    const result = await upload(
      account.id,
      gzippedCloudTrailFile([
        runInstances(at, 'i-relevant', 'ami-relevant'),
        runInstances(at, 'i-failed', 'ami-relevant', { errorCode: 'Client.UnauthorizedOperation' }),
        { ...runInstances(at, 'i-other-source', 'ami-relevant'), eventSource: 's3.amazonaws.com' },
        ec2Record('DescribeInstances', at, [{ instanceId: 'i-described' }]),
        ec2Record('TerminateInstances', '2018-03-01T11:00:00Z', [
          { instanceId: 'i-relevant' },
          { instanceId: 'i-relevant' },
        ]),
      ]),
    );
    expect(result).toEqual({ records: 5, relevantRecords: 2, eventsAdded: 2, instancesAdded: 1, imagesAdded: 1 });
    const { results: instances } = await env.client.call(listTrackedInstancesRpc, { tenantId, limit: 100, offset: 0 });
    const tracked = instances.find((instance) => instance.cloudInstanceId === 'i-relevant');
    expect(tracked).toMatchObject({ accountId: account.id, region: 'us-east-1' });
    const { results: events } = await env.client.call(listPowerEventsRpc, {
      tenantId,
      instanceId: tracked?.id,
      limit: 10,
      offset: 0,
    });
    expect(events.map(({ eventType, instanceType, subnet }) => ({ eventType, instanceType, subnet }))).toEqual([
      { eventType: 'power_on', instanceType: 't2.micro', subnet: 'subnet-1' },
      { eventType: 'power_off', instanceType: null, subnet: null },
    ]);
    expect(events[0]?.machineImageId).toEqual(expect.any(Number));
    expect(events[1]?.machineImageId).toBeNull();
  });

  it('adds nothing when the same 100 files are uploaded again, in another order', async () => {
    const account = await newAccount('replay');
    const before = await eventCount();
    const files = Array.from({ length: 100 }, (_, file) => {
      const at = (minute: number) => new Date(Date.UTC(2018, 4, 1, file % 24, minute)).toISOString();
      const records = [
        runInstances(at(0), `i-replay-${file}`, `ami-replay-${file % 7}`),
        powerOff(at(30), `i-replay-${file}`),
      ];
      return file % 2 === 0 ? gzippedCloudTrailFile(records) : cloudTrailFile(records);
    });
    for (const file of files) await upload(account.id, file);
    expect(await eventCount()).toBe(before + 200);
    const replayed = await Promise.all(shuffled(files).map((file) => upload(account.id, file)));
    expect(replayed.map((result) => result.eventsAdded)).toEqual(Array(100).fill(0));
    expect(await eventCount()).toBe(before + 200);
  });

  it('stores overlapping files uploaded at once to one account once each, and the images they share once', async () => {
    const [first, second] = [await newAccount('concurrent a'), await newAccount('concurrent b')];
    const before = await eventCount();
    // Most records in two files, which are long enough to be stored a few segments at a time; the first file
    // repeats its first record at its end, a segment after the first.
    const recordsOf = (prefix: string, instances: number) =>
      Array.from({ length: instances }, (_, index) => {
        const at = (minute: number) => new Date(Date.UTC(2018, 6, 1, 0, index % 60, minute)).toISOString();
        const instanceId = `i-${prefix}-${index}`;
        return [runInstances(at(0), instanceId, `ami-shared-${index % 5}`), powerOff(at(30), instanceId)];
      }).flat();
    const overlapping = (records: unknown[], size: number) =>
      Array.from({ length: Math.ceil(records.length / (size / 2)) - 1 }, (_, file) => {
        const slice = records.slice((file * size) / 2, (file * size) / 2 + size);
        return cloudTrailFile(file === 0 ? [...slice, slice[0]] : slice);
      });
    const firstFiles = overlapping(recordsOf('first', 4500), 4000);
    const secondFiles = overlapping(recordsOf('second', 600), 800);
    const uploadAll = () =>
      Promise.all([
        ...firstFiles.map((file) => upload(first.id, file)),
        ...secondFiles.map((file) => upload(second.id, file)),
      ]);
    const sum = (results: { eventsAdded: number; instancesAdded: number }[], key: 'eventsAdded' | 'instancesAdded') =>
      results.reduce((total, result) => total + result[key], 0);

    const stored = await uploadAll();
    expect(firstFiles.length).toBe(4);
    expect(sum(stored.slice(0, 4), 'eventsAdded')).toBe(9000);
    expect(sum(stored.slice(0, 4), 'instancesAdded')).toBe(4500);
    expect(sum(stored.slice(4), 'eventsAdded')).toBe(1200);
    expect(await eventCount()).toBe(before + 10200);
    const { results: images } = await env.client.call(listMachineImagesRpc, { tenantId, limit: 1000, offset: 0 });
    expect(images.filter((image) => image.cloudImageId.startsWith('ami-shared-')).length).toBe(5);

    const replayed = await uploadAll();
    expect(sum(replayed, 'eventsAdded')).toBe(0);
    expect(sum(replayed, 'instancesAdded')).toBe(0);
    expect(await eventCount()).toBe(before + 10200);
  });

  it('stores files of two accounts making the same new images in crossed orders at once, each image once', async () => {
    const [first, second] = [await newAccount('crossed a'), await newAccount('crossed b')];
    const store = createUsageStore(env.database);
    // Each file makes one image in its first segment and, once both first segments are stored, the other's image in
    // its second: without the tenant's images lock each transaction would wait for the other's row (a deadlock).
    let arrived = 0;
    let bothArrived = () => undefined as void;
    const barrier = new Promise<void>((resolve) => (bothArrived = resolve));
    const power = (prefix: string, index: number, imageId: string): RelevantRecord => ({
      kind: 'power',
      eventId: `crossed-${prefix}-${index}`,
      occurredAt: new Date(Date.UTC(2018, 7, 1, 0, 0, index)),
      awsAccountId: null,
      region: 'us-east-1',
      eventType: 'power_on',
      instances: [{ cloudInstanceId: `i-crossed-${prefix}-${index}`, imageId, instanceType: null, subnet: null }],
    });
    async function* crossedFile(prefix: string, firstImage: string, secondImage: string) {
      yield Array.from({ length: 2000 }, (_, index) => power(prefix, index, firstImage));
      arrived += 1;
      if (arrived === 2) bothArrived();
      await barrier;
      await setTimeout(300);
      yield Array.from({ length: 100 }, (_, index) => power(prefix, 2000 + index, secondImage));
    }
    const stored = await Promise.allSettled([
      store.recordActivity(tenantId, first.id, crossedFile('a', 'ami-crossed-x', 'ami-crossed-y')),
      store.recordActivity(tenantId, second.id, crossedFile('b', 'ami-crossed-y', 'ami-crossed-x')),
    ]);
    await store.close();
    expect(stored).toEqual([
      { status: 'fulfilled', value: { eventsAdded: 2100, instancesAdded: 2100, imagesAdded: expect.any(Number) } },
      { status: 'fulfilled', value: { eventsAdded: 2100, instancesAdded: 2100, imagesAdded: expect.any(Number) } },
    ]);
    const { results: images } = await env.client.call(listMachineImagesRpc, { tenantId, limit: 1000, offset: 0 });
    expect(images.filter((image) => image.cloudImageId.startsWith('ami-crossed-')).length).toBe(2);
  });

  it.each([
    [
      'a gzip bomb',
      gzipSync(Buffer.concat([Buffer.from('{"Records":['), Buffer.alloc(16 * 1024 * 1024, 0x20)])),
      /more than 4194304 bytes once decompressed/,
    ],
    [
      'a truncated gzip file',
      gzippedCloudTrailFile([runInstances('2018-01-01T00:00:00Z', 'i-half', 'ami-half')]).subarray(0, 60),
      /gzip stream is corrupt or truncated/,
    ],
    [
      'a truncated JSON file',
      cloudTrailFile([
        runInstances('2018-01-01T00:00:00Z', 'i-half', 'ami-half'),
        powerOff('2018-01-01T01:00:00Z', 'i-half'),
      ]).subarray(0, 700),
      /truncated/,
    ],
    ['a file that is not JSON', Buffer.from('<html>502 Bad Gateway</html>'), /not a CloudTrail JSON document/],
    [
      'JSON that breaks off into garbage',
      Buffer.from(
        `{"Records":[${JSON.stringify(runInstances('2018-01-01T00:00:00Z', 'i-half', 'ami-half'))},nonsense]}`,
      ),
      /not valid JSON/,
    ],
    ['an empty file', Buffer.alloc(0), /empty/],
    [
      'a record holding a NUL character',
      cloudTrailFile([runInstances('2018-01-01T00:00:00Z', 'i-nul\u0000', 'ami-nul')]),
      /record 1 holds a NUL character/,
    ],
  ])('refuses %s with its reason, storing nothing, and keeps serving', async (_name, content, reason) => {
    const account = await newAccount(`refused ${String(_name)}`);
    const before = await eventCount();
    await expect(upload(account.id, content)).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(reason),
      details: [{ path: 'activity_log', message: expect.stringMatching(reason) }],
    });
    expect(await eventCount()).toBe(before);
    await expect(env.client.call(usageSysconfigRpc, { tenantId })).resolves.toEqual({ awsAccountId: '123456789012' });
  });

  it('follows the OpenShift tag on images, the latest change winning whatever order the files come in', async () => {
    const account = await newAccount('openshift');
    await upload(account.id, cloudTrailFile([openshiftTag('2018-06-02T00:00:00Z', 'ami-ocp', false)]));
    await upload(account.id, cloudTrailFile([openshiftTag('2018-06-01T00:00:00Z', 'ami-ocp', true)]));
    const imageOf = async (cloudImageId: string) =>
      (await env.client.call(listMachineImagesRpc, { tenantId, limit: 1000, offset: 0 })).results.find(
        (image) => image.cloudImageId === cloudImageId,
      );
    expect(await imageOf('ami-ocp')).toMatchObject({ openshiftDetected: false, openshift: false });
    await upload(account.id, cloudTrailFile([openshiftTag('2018-06-03T00:00:00Z', 'ami-ocp', true)]));
    expect(await imageOf('ami-ocp')).toMatchObject({ openshiftDetected: true, openshift: true, status: 'pending' });
  });

  it("refuses a file for another tenant's account as not found", async () => {
    const account = await newAccount('mine');
    await expect(
      env.client.call(ingestActivityLogRpc, {
        tenantId: 'someone-else',
        accountId: account.id,
        contentBase64: cloudTrailFile([]).toString('base64'),
      }),
    ).rejects.toMatchObject({ code: 'not_found' });
  });
});

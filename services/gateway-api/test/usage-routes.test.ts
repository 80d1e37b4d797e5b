import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Database } from '@overcast/db';
import { describeWithServices, type TestDatabase } from '@overcast/test-kit';
import { createToken, openMigratedDatabase, startGateway, type RunningGateway } from './support/gateway-harness';
import { startRealImageInspector, type RealImageInspector } from './support/real-image-inspector';
import { specCheckedFetch } from './support/spec-conformance';

function ec2Record(eventName: string, at: string, instanceId: string, imageId?: string) {
  return {
    eventID: randomUUID(),
    eventTime: at,
    eventSource: 'ec2.amazonaws.com',
    eventName,
    awsRegion: 'us-east-1',
    userIdentity: { accountId: '123456789012' },
    responseElements: {
      instancesSet: {
        items: [{ instanceId, ...(imageId ? { imageId, instanceType: 't2.micro', subnetId: 'subnet-9' } : {}) }],
      },
    },
  };
}
const cloudTrail = (records: unknown[]) => Buffer.from(JSON.stringify({ Records: records }));

// cloudigrade's v1 API through the real gateway to the real image inspector over RabbitMQ, DRF's token form.
describeWithServices('cloudigrade routes', () => {
  const { fetch, problems } = specCheckedFetch();
  let testDatabase: TestDatabase;
  let database: Database;
  let inspector: RealImageInspector;
  let gateway: RunningGateway;
  let mine: Record<string, string>;
  let theirs: Record<string, string>;

  beforeAll(async () => {
    ({ testDatabase, database } = await openMigratedDatabase());
    inspector = await startRealImageInspector(testDatabase.url);
    gateway = await startGateway({ database, bus: inspector.gatewayBus, env: { RPC_TIMEOUT_MS: '20000' } });
    mine = { authorization: `Token ${await createToken(database, 'developer', 'usage-mine')}` };
    theirs = { authorization: `Token ${await createToken(database, 'developer', 'usage-theirs')}` };
  });
  afterAll(async () => {
    await gateway?.stop();
    await inspector?.stop();
    await database?.close();
    await testDatabase?.drop();
  });

  const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
    const response = await fetch(`${gateway.url}${path}`, {
      method,
      headers: {
        ...headers,
        ...(body === undefined || Buffer.isBuffer(body) ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body),
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as Record<string, unknown>,
    };
  };

  it('answers 401 without credentials, with DRF detail beside the envelope', async () => {
    const response = await call('GET', '/api/v1/account/', {});
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ detail: expect.any(String), error: { code: 'unauthenticated' } });
  });

  it('registers, pages, reads and renames accounts; another tenant gets 404', async () => {
    const created = await call('POST', '/api/v1/account/', mine, { resourcetype: 'LocalAccount', name: 'lab' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ resourcetype: 'LocalAccount', name: 'lab', account_arn: null });
    expect(created.headers.get('location')).toBe(created.body.url);
    const id = created.body.id as number;
    for (const name of ['two', 'three'])
      await call('POST', '/api/v1/account/', mine, { resourcetype: 'LocalAccount', name });

    const first = await call('GET', '/api/v1/account/?limit=2', mine);
    expect(first.body).toMatchObject({
      count: 3,
      previous: null,
      next: `${gateway.url}/api/v1/account/?limit=2&offset=2`,
    });
    const second = await call('GET', '/api/v1/account/?limit=2&offset=2', mine);
    expect(second.body).toMatchObject({ next: null, previous: `${gateway.url}/api/v1/account/?limit=2` });
    expect((second.body.results as unknown[]).length).toBe(1);

    expect((await call('PATCH', `/api/v1/account/${id}/`, mine, { name: 'renamed' })).body).toMatchObject({
      name: 'renamed',
    });
    const arnChange = await call('PUT', `/api/v1/account/${id}/`, mine, {
      name: 'x',
      account_arn: 'arn:aws:iam::1:role/r',
    });
    expect(arnChange).toMatchObject({ status: 400, body: { account_arn: ['You cannot change this field.'] } });
    const taken = await call('POST', '/api/v1/account/', mine, { resourcetype: 'LocalAccount', name: 'two' });
    expect(taken.body).toMatchObject({
      non_field_errors: [expect.stringMatching(/^Account with name 'two' for user '.+' already exists$/)],
    });

    for (const path of [`/api/v1/account/${id}/`, '/api/v1/account/abc/', '/api/v1/account/99999999/']) {
      const response = await call('GET', path, path.includes(String(id)) ? theirs : mine);
      expect(response).toMatchObject({ status: 404, body: { detail: 'Not found.' } });
    }
    expect((await call('GET', '/api/v1/account/', theirs)).body).toMatchObject({ count: 0, results: [] });
  });

  it('refuses bad registrations field by field, in cloudigrade words', async () => {
    expect((await call('POST', '/api/v1/account/', mine, { name: 'n' })).body).toMatchObject({
      resourcetype: ['This field is required.'],
    });
    expect(
      (await call('POST', '/api/v1/account/', mine, { resourcetype: 'AwsAccount', account_arn: 'not an arn' })).body,
    ).toMatchObject({ account_arn: ['Invalid ARN.'] });
  });

  it('takes CloudTrail uploads once by eventID, refuses broken ones with a reason, and reports usage', async () => {
    const account = await call('POST', '/api/v1/account/', mine, { resourcetype: 'LocalAccount', name: 'usage' });
    const upload = (file: Buffer) =>
      call('POST', `/api/v1/account/${account.body.id as number}/activity-logs`, mine, file);
    const file = gzipSync(
      cloudTrail([
        ec2Record('RunInstances', '2018-01-01T00:00:00Z', 'i-api', 'ami-api'),
        ec2Record('StopInstances', '2018-01-01T05:00:00Z', 'i-api'),
      ]),
    );
    expect((await upload(file)).body).toEqual({
      records: 2,
      relevant_records: 2,
      events_added: 2,
      instances_added: 1,
      images_added: 1,
    });
    expect((await upload(file)).body).toMatchObject({ events_added: 0 });
    const bomb = gzipSync(Buffer.concat([Buffer.from('{"Records":['), Buffer.alloc(8 * 1024 * 1024, 0x20)]));
    for (const [broken, reason] of [
      [bomb, /once decompressed/],
      [file.subarray(0, 40), /truncated/],
      [Buffer.from('hello'), /not a CloudTrail JSON document/],
    ] as const) {
      const refused = await upload(broken);
      expect(refused).toMatchObject({ status: 400, body: { activity_log: [expect.stringMatching(reason)] } });
    }

    const images = await call('GET', '/api/v1/image/', mine);
    const image = (images.body.results as { id: number; ec2_ami_id: string }[]).find(
      (one) => one.ec2_ami_id === 'ami-api',
    );
    const challenged = await call('PATCH', `/api/v1/image/${image?.id}/`, mine, {
      rhel_challenged: true,
      status: 'ignored',
    });
    expect(challenged.body).toMatchObject({
      rhel: true,
      rhel_detected: false,
      rhel_challenged: true,
      status: 'pending',
    });

    const events = await call('GET', '/api/v1/event/', mine);
    expect(events.body.results).toEqual([
      expect.objectContaining({
        event_type: 'power_on',
        instance_type: 't2.micro',
        subnet: 'subnet-9',
        machineimage: challenged.body.url,
      }),
      expect.objectContaining({ event_type: 'power_off', machineimage: null }),
    ]);

    const missing = await call('GET', '/api/v1/report/instances/', mine);
    expect(missing).toMatchObject({
      status: 400,
      body: { start: ['This field is required.'], end: ['This field is required.'] },
    });
    const report = await call(
      'GET',
      `/api/v1/report/instances/?start=2018-01-01T00:00:00Z&end=2018-01-02T00:00:00Z&account_id=${account.body.id as number}`,
      mine,
    );
    expect(report.body).toEqual({
      daily_usage: [
        {
          date: '2018-01-01T00:00:00.000Z',
          rhel_instances: 1,
          openshift_instances: 0,
          rhel_runtime_seconds: 18000,
          openshift_runtime_seconds: 0,
        },
      ],
      instances_seen_with_rhel: 1,
      instances_seen_with_openshift: 0,
    });
    const theirReport = await call(
      'GET',
      '/api/v1/report/instances/?start=2018-01-01T00:00:00Z&end=2018-01-02T00:00:00Z',
      theirs,
    );
    expect(theirReport.body).toMatchObject({ instances_seen_with_rhel: 0 });
    const imagesReport = await call(
      'GET',
      `/api/v1/report/images/?start=2018-01-01T00:00:00Z&end=2018-01-02T00:00:00Z&account_id=${account.body.id as number}`,
      mine,
    );
    expect(imagesReport.body.images).toEqual([
      expect.objectContaining({ cloud_image_id: 'ami-api', instances_seen: 1, runtime_seconds: 18000 }),
    ]);
    expect(
      (await call('GET', '/api/v1/report/images/?start=2018-01-01T00:00:00Z&end=2018-01-02T00:00:00Z', mine)).body,
    ).toMatchObject({
      account_id: ['This field is required.'],
    });
    expect((await call('GET', '/api/v1/sysconfig/', mine)).body).toEqual({ aws_account_id: '123456789012' });
  });

  it('refuses a file near the upload limit with its reason, over a bus that stays connected', async () => {
    const account = await call('POST', '/api/v1/account/', mine, { resourcetype: 'LocalAccount', name: 'big' });
    const big = Buffer.alloc(11 * 1024 * 1024, 0x20);
    big.write('{"Records":[');
    const refused = await call('POST', `/api/v1/account/${account.body.id as number}/activity-logs`, mine, big);
    expect(refused).toMatchObject({
      status: 400,
      body: { activity_log: [expect.stringMatching(/more than 4194304 bytes/)] },
    });
    const tooBig = await call(
      'POST',
      `/api/v1/account/${account.body.id as number}/activity-logs`,
      mine,
      Buffer.alloc(13 * 1024 * 1024),
    );
    expect(tooBig.status).toBe(413);
    expect((await call('GET', '/api/v1/sysconfig/', mine)).status).toBe(200);
  });

  it('answered every request as the spec documents it', () => {
    expect(problems).toEqual([]);
  });
});

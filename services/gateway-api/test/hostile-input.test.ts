import type { Database } from '@overcast/db';
import { describeWithServices, type TestDatabase } from '@overcast/test-kit';
import { createToken, openMigratedDatabase, startGateway, type RunningGateway } from './support/gateway-harness';
import { sendRaw, type RawRequest } from './support/raw-http';
import { startRealBroker, type RealBroker } from './support/real-broker';

interface Envelope {
  error: { code: string; message: string; details: { path?: string; message: string }[]; request_id: string };
}

// Input the probe of issue 10 answered 500 (or with an empty `details`, or a bare 431), against the real broker.
describeWithServices('hostile input at the gateway', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let broker: RealBroker;
  let gateway: RunningGateway;
  let port: number;
  let admin: string;

  beforeAll(async () => {
    ({ testDatabase, database } = await openMigratedDatabase());
    broker = await startRealBroker(testDatabase.url);
    gateway = await startGateway({ database, bus: broker.gatewayBus });
    port = Number(new URL(gateway.url).port);
    admin = await createToken(database, 'admin');
  });

  afterAll(async () => {
    await gateway?.stop();
    await broker?.stop();
    await database?.close();
    await testDatabase?.drop();
  });

  /** The request's status and the envelope's code and detail paths, after checking the envelope is whole. */
  async function refusal(
    request: RawRequest,
  ): Promise<{ status: number; code: string; paths: (string | undefined)[] }> {
    const response = await sendRaw(port, {
      ...request,
      headers: [['Authorization', `token ${admin}`], ...(request.headers ?? [])],
    });
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    const { error } = JSON.parse(response.body) as Envelope;
    expect(error.request_id).toBe(response.headers['x-request-id']);
    expect(error.details.length).toBeGreaterThan(0);
    return { status: response.status, code: error.code, paths: error.details.map((detail) => detail.path) };
  }

  const jsonHeaders: RawRequest['headers'] = [['Content-Type', 'application/json']];

  it.each([
    ['POST /instances', '/instances', { provider: 'fake', image: 'debian\u0000' }, 'body.image'],
    ['POST /tokens', '/tokens', { description: 'deploy\u0000bot' }, 'body.description'],
    ['POST /images', '/images', { provider: 'fake', image_id: 'ami-1', role: 'worker\u0000', name: 'n' }, 'body.role'],
    [
      'POST /instance-builds',
      '/instance-builds',
      { instance_builds: { site: 'o\u0000', env: 'e', instance_type: 'standard', count: 1, queue: 'q', role: 'r' } },
      'body.instance_builds.site',
    ],
  ])('refuses a NUL in a stored body field of %s with 400 naming it', async (_name, target, body, path) => {
    expect(await refusal({ method: 'POST', target, headers: jsonHeaders, body: JSON.stringify(body) })).toEqual({
      status: 400,
      code: 'bad_request',
      paths: [path],
    });
  });

  it('refuses an unpaired surrogate (which would be stored as U+FFFD) like a NUL', async () => {
    const body = '{"provider":"fake","image":"debian-\\ud800"}';
    expect(await refusal({ method: 'POST', target: '/instances', headers: jsonHeaders, body })).toEqual({
      status: 400,
      code: 'bad_request',
      paths: ['body.image'],
    });
  });

  it.each([
    ['a query filter', 'GET', '/instances?env=staging%00', 'query.env'],
    ['a path id', 'GET', '/instances/%00', 'path.id'],
    ['an image id', 'POST', '/images/abc%00/activate', 'path.id'],
    [
      'a form field of a build report',
      'PATCH',
      '/instance-builds/00000000-0000-4000-8000-000000000000?instance-id=i-%00',
      'query.instance-id',
    ],
  ])('refuses a NUL in %s with 400 naming it', async (_name, method, target, path) => {
    expect(await refusal({ method, target })).toEqual({ status: 400, code: 'bad_request', paths: [path] });
  });

  it('refuses a body nested thousands of levels deep with 400 naming where, before it is forwarded to a service', async () => {
    // A free-form body once passed validation here and overflowed JSON.stringify on its way to the bus (a 504, and
    // an uncaught RangeError in the gateway).
    const body = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    const answer = await refusal({ method: 'PATCH', target: '/districts/home', headers: jsonHeaders, body });
    expect(answer).toEqual({ status: 400, code: 'bad_request', paths: [`body${'.a'.repeat(64)}`] });
  });

  it('refuses a NUL in the Idempotency-Key header with 400 naming the header', async () => {
    const body = JSON.stringify({ provider: 'fake', image: 'debian-12' });
    expect(
      await refusal({
        method: 'POST',
        target: '/instances',
        headers: [
          ['Content-Type', 'application/json'],
          ['Idempotency-Key', 'key\u0000'],
        ],
        body,
      }),
    ).toEqual({
      status: 400,
      code: 'bad_request',
      paths: ['headers.idempotency-key'],
    });
  });

  it.each([
    ['/instances/%E0%A4%A', 'path.id'],
    ['/instances/%zz', 'path.id'],
    ['/instances/%ED%A0%80/console', 'path.id'],
    ['/images/%C0%AF/activate', 'path.id'],
    ['/instance-builds/%', 'path.id'],
    ['/%zz', 'path'],
  ])('answers the malformed percent-encoding of %s with 400 naming %s', async (target, path) => {
    expect(await refusal({ method: target.endsWith('/activate') ? 'POST' : 'GET', target })).toEqual({
      status: 400,
      code: 'bad_request',
      paths: [path],
    });
  });

  it.each([
    ['unparseable JSON', '{"description": "x",'],
    ['a JSON number', '42'],
    ['a JSON string', '"deploy bot"'],
    ['JSON null', 'null'],
  ])('answers %s where an object is required with 400 naming the body', async (_name, body) => {
    expect(await refusal({ method: 'POST', target: '/tokens', headers: jsonHeaders, body })).toEqual({
      status: 400,
      code: 'bad_request',
      paths: ['body'],
    });
  });

  it('answers a body over 1 MB with 413 naming the body', async () => {
    const body = JSON.stringify({ description: 'x'.repeat(1_100_000) });
    expect(await refusal({ method: 'POST', target: '/tokens', headers: jsonHeaders, body })).toEqual({
      status: 413,
      code: 'payload_too_large',
      paths: ['body'],
    });
  });

  it('answers a URL over 16 KB with 431 naming the URL, and headers over it naming the header', async () => {
    expect(await refusal({ method: 'GET', target: `/instances?env=${'x'.repeat(17_000)}` })).toEqual({
      status: 431,
      code: 'headers_too_large',
      paths: ['url'],
    });
    expect(
      await refusal({ method: 'GET', target: '/instances', headers: [['X-Padding', 'y'.repeat(17_000)]] }),
    ).toEqual({
      status: 431,
      code: 'headers_too_large',
      paths: ['headers.x-padding'],
    });
  });

  it('reads a body labelled as another media type as the operation’s JSON, naming the body when it is not', async () => {
    expect(
      await refusal({
        method: 'POST',
        target: '/tokens',
        headers: [['Content-Type', 'text/plain']],
        body: 'deploy bot',
      }),
    ).toEqual({
      status: 400,
      code: 'bad_request',
      paths: ['body'],
    });
  });

  it('takes what the spec allows and the broker’s contract does not as the spec says: an empty field is not given, an over-long id is not found', async () => {
    const send = (method: string, target: string, body?: unknown) =>
      sendRaw(port, {
        method,
        target,
        headers: [['Authorization', `token ${admin}`], ...(body === undefined ? [] : jsonHeaders)],
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    expect((await send('GET', '/instances?env=&site=&queue=&provider=')).status).toBe(200);
    expect((await send('GET', '/images?role=')).status).toBe(200);
    expect(
      (await send('POST', '/instances', { provider: 'fake', image: 'debian-12', public_ssh_key: '' })).status,
    ).toBe(200);
    for (const target of [`/instances/${'x'.repeat(300)}`, `/instance-builds/${'x'.repeat(300)}`])
      expect((await send('GET', target)).status).toBe(404);
    expect((await send('POST', `/images/${'x'.repeat(300)}/activate`)).status).toBe(404);
    expect(
      await refusal({ method: 'PATCH', target: `/instance-builds/${'x'.repeat(30)}?instance-id=${'i'.repeat(300)}` }),
    ).toEqual({
      status: 400,
      code: 'bad_request',
      paths: ['query.instance-id'],
    });
  });

  it('still creates an instance from the same request without the NUL', async () => {
    const body = JSON.stringify({ provider: 'fake', image: 'debian-12' });
    const response = await sendRaw(port, {
      method: 'POST',
      target: '/instances',
      headers: [
        ['Authorization', `token ${admin}`],
        ['Content-Type', 'application/json'],
      ],
      body,
    });
    expect(response.status).toBe(200);
  });
});

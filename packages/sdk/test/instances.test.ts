import type { OvercastClient } from '../src';
import { createClient, InstanceWaitError, OvercastApiError } from '../src';
import type { SpecCheckedServer } from './support/spec-checked-server';
import { startSpecCheckedServer } from './support/spec-checked-server';

describe('client.instances against a gateway answering per the spec', () => {
  let gateway: SpecCheckedServer;
  let client: OvercastClient;

  beforeEach(async () => {
    gateway = await startSpecCheckedServer();
    client = createClient({
      baseUrl: `${gateway.server.url}/`,
      token: gateway.server.developerToken,
      fetch: gateway.fetch,
    });
  });
  afterEach(async () => {
    await gateway.server.close();
    expect(gateway.problems).toEqual([]);
  });

  it('creates an instance with the cloud-brain token header and an Idempotency-Key', async () => {
    const instance = await client.instances.create(
      { provider: 'gce', image: 'image-2016-01-01' },
      { idempotencyKey: 'k-1' },
    );
    expect(instance).toMatchObject({
      provider: 'gce',
      image: 'image-2016-01-01',
      instance_type: 'standard',
      state: 'creating',
    });
    const [request] = gateway.server.requests;
    expect(request?.headers.authorization).toBe(`token ${gateway.server.developerToken}`);
    expect(request?.headers['idempotency-key']).toBe('k-1');
    const again = await client.instances.create(
      { provider: 'gce', image: 'image-2016-01-01' },
      { idempotencyKey: 'k-1' },
    );
    expect(again.id).toBe(instance.id);
  });

  it('gets an instance, and still returns it once terminated (410)', async () => {
    const { id } = await client.instances.create({ provider: 'gce', image: 'i' });
    expect((await client.instances.get(id)).state).toBe('starting');
    expect((await client.instances.delete(id)).state).toBe('terminating');
    expect((await client.instances.get(id)).state).toBe('terminated');
    expect((await client.instances.delete(id)).state).toBe('terminated');
  });

  it('lists with filters and walks every page', async () => {
    for (const env of ['staging', 'staging', 'staging', 'prod'])
      await client.instances.create({ provider: 'gce', image: 'i', env });
    const firstPage = await client.instances.list({ env: 'staging', limit: 2 });
    expect(firstPage.instances).toHaveLength(2);
    expect(firstPage.next_cursor).toEqual(expect.any(String));
    const pageSizes: number[] = [];
    for await (const page of client.instances.pages({ env: 'staging', limit: 2 }))
      pageSizes.push(page.instances.length);
    expect(pageSizes).toEqual([2, 1]);
    const everyone: string[] = [];
    for await (const instance of client.instances.all({ limit: 3 })) everyone.push(instance.env ?? '');
    expect(everyone.sort()).toEqual(['prod', 'staging', 'staging', 'staging']);
  });

  it('waits until running, reporting each poll', async () => {
    const { id } = await client.instances.create({ provider: 'gce', image: 'i' });
    const seen: string[] = [];
    const running = await client.instances.waitFor(id, 'running', {
      intervalMs: 1,
      onProgress: (instance) => seen.push(instance.state),
    });
    expect(running.ip_address).toEqual(expect.any(String));
    expect(seen).toEqual(['starting', 'running']);
  });

  it('stops waiting when the deadline passes', async () => {
    gateway.server.state.advanceOnRead = false;
    const { id } = await client.instances.create({ provider: 'gce', image: 'i' });
    const waiting = client.instances.waitFor(id, 'running', { intervalMs: 1, timeoutMs: 20 });
    await expect(waiting).rejects.toThrow(InstanceWaitError);
    await expect(waiting).rejects.toMatchObject({ reason: 'timeout', lastState: 'creating' });
  });

  it('stops waiting when the instance can never get there', async () => {
    const { id } = await client.instances.create({ provider: 'gce', image: 'i' });
    Object.assign(gateway.server.state.instances.get(id) ?? {}, { state: 'errored', error_reason: 'quota exceeded' });
    await expect(client.instances.waitFor(id, 'running', { intervalMs: 1 })).rejects.toThrow(
      `instance ${id} is errored (quota exceeded) and will never be running`,
    );
  });

  it("reads a local instance's console as raw text, and refuses one whose provider keeps none", async () => {
    const local = await client.instances.create({ provider: 'local', image: 'default' });
    await expect(client.instances.console(local.id)).resolves.toBe(''); // nothing printed yet
    const text = 'boot-agent: running init script\nbooting worker for org/staging/docker\n';
    gateway.server.state.consoles.set(local.id, text);
    await expect(client.instances.console(local.id)).resolves.toBe(text);
    expect(gateway.server.requests.at(-1)?.url).toBe(`/instances/${local.id}/console`);

    const gce = await client.instances.create({ provider: 'gce', image: 'i' });
    await expect(client.instances.console(gce.id)).rejects.toMatchObject({
      status: 422,
      code: 'unprocessable',
      message: 'provider gce keeps no console',
    });
    await expect(client.instances.console('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      status: 404,
    });
  });

  it('throws OvercastApiError with the code, details, request id and legacy errors list', async () => {
    const error = await client.instances.create({ provider: '', image: '' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OvercastApiError);
    expect(error).toMatchObject({
      status: 400,
      code: 'bad_request',
      details: [
        { path: 'body.provider', message: 'is required' },
        { path: 'body.image', message: 'is required' },
      ],
      requestId: expect.any(String),
      body: expect.objectContaining({ errors: ['body.provider: is required', 'body.image: is required'] }),
    });
    await expect(client.instances.get('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      status: 404,
      code: 'not_found',
    });
    await expect(client.instances.create({ provider: 'azure', image: 'i' })).rejects.toMatchObject({
      status: 422,
      code: 'unprocessable',
    });
  });
});

import type { OvercastClient } from '../src';
import { BuildWaitError, createClient } from '../src';
import type { SpecCheckedServer } from './support/spec-checked-server';
import { startSpecCheckedServer } from './support/spec-checked-server';

describe('waiters for builds and consoles against a gateway answering per the spec', () => {
  let gateway: SpecCheckedServer;
  let client: OvercastClient;
  const build = {
    site: 'org',
    env: 'staging',
    instance_type: 'standard',
    count: 1,
    queue: 'docker',
    role: 'worker',
    image: 'img-1',
  } as const;

  beforeEach(async () => {
    gateway = await startSpecCheckedServer();
    client = createClient({ baseUrl: gateway.server.url, token: gateway.server.adminToken, fetch: gateway.fetch });
  });
  afterEach(async () => {
    await gateway.server.close();
    expect(gateway.problems).toEqual([]);
  });

  it('waits for a build to finish, reporting each poll', async () => {
    const { id } = await client.builds.create(build);
    const seen: string[] = [];
    const finished = await client.builds.waitFor(id, 'finished', {
      intervalMs: 1,
      onProgress: (current) => {
        seen.push(current.state);
        // The booted instance reports in while the caller waits.
        if (seen.length === 2) void client.builds.reportProgress(id, { state: 'finished', instanceId: 'i-1' });
      },
    });
    expect(finished.state).toBe('finished');
    expect(seen.slice(0, 2)).toEqual(['pending', 'pending']);
    expect(seen.at(-1)).toBe('finished');
  });

  it('stops waiting for a build that errored, and at the deadline', async () => {
    const { id } = await client.builds.create(build);
    const waiting = client.builds.waitFor(id, 'finished', { intervalMs: 1, timeoutMs: 20 });
    await expect(waiting).rejects.toThrow(BuildWaitError);
    await expect(waiting).rejects.toMatchObject({ reason: 'timeout', lastState: 'pending' });
    Object.assign(gateway.server.state.builds.get(id) ?? {}, { state: 'errored' });
    await expect(client.builds.waitFor(id, 'finished', { intervalMs: 1 })).rejects.toMatchObject({
      reason: 'unreachable',
      message: `instance build ${id} is errored and will never be finished`,
    });
  });

  it('follows a console as it grows and ends after the instance is terminated', async () => {
    gateway.server.state.advanceOnRead = false;
    const { id } = await client.instances.create({ provider: 'local', image: 'default' });
    const consoles = gateway.server.state.consoles;
    const script = [
      () => consoles.set(id, 'boot-agent: running init script\n'),
      () => consoles.set(id, 'boot-agent: running init script\nhello\n'),
      () => {
        consoles.set(id, 'boot-agent: running init script\nhello\nbye\n');
        Object.assign(gateway.server.state.instances.get(id) ?? {}, { state: 'terminated' });
      },
    ];
    script.shift()?.();
    const chunks: string[] = [];
    const follow = client.instances.followConsole(id, { intervalMs: 1 });
    for (;;) {
      const next = await follow.next();
      if (next.done) {
        expect(next.value.state).toBe('terminated');
        break;
      }
      chunks.push(next.value);
      script.shift()?.();
    }
    expect(chunks).toEqual(['boot-agent: running init script\n', 'hello\n', 'bye\n']);
  });

  it('stops following when the signal aborts', async () => {
    const { id } = await client.instances.create({ provider: 'local', image: 'default' });
    gateway.server.state.consoles.set(id, 'line\n');
    const controller = new AbortController();
    const follow = client.instances.followConsole(id, { intervalMs: 10_000, signal: controller.signal });
    expect((await follow.next()).value).toBe('line\n');
    const pending = follow.next();
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
  });
});

import { ProviderError } from '../core/compute';
import { createFakeComputeProvider } from './fake-compute-provider';

const input = {
  id: 'b1a7c0de-0000-4000-8000-000000000001',
  image: 'standard-image',
  instanceType: 'standard' as const,
  tags: { role: 'worker' },
};

describe('fake compute provider', () => {
  it('creates a starting instance that reads as running once booted, tagged with its Overcast id', async () => {
    let clock = 1_000;
    const fake = createFakeComputeProvider({ bootMs: 50, now: () => clock });

    const created = await fake.createInstance(input);
    const early = await fake.getInstance(input.id);
    clock += 50;
    const booted = await fake.getInstance(input.id);

    expect(created).toMatchObject({ id: input.id, state: 'starting', upstreamId: 'fake-1', ipAddress: '10.0.0.1' });
    expect(created.tags).toEqual({ role: 'worker', 'overcast-id': input.id });
    expect(early?.state).toBe('starting');
    expect(booted?.state).toBe('running');
  });

  it('is idempotent on the id: a second create returns the first instance and launches nothing', async () => {
    const fake = createFakeComputeProvider();

    const first = await fake.createInstance(input);
    const second = await fake.createInstance(input);

    expect(second.upstreamId).toBe(first.upstreamId);
    expect(fake.launches).toBe(1);
    expect(fake.calls.createInstance).toBe(2);
  });

  it('in lost-response mode creates the instance and then throws a retryable error; the retry adopts it', async () => {
    const fake = createFakeComputeProvider();
    fake.failNext('createInstance', { kind: 'lost-response' });

    const lost = fake.createInstance(input);
    await expect(lost).rejects.toBeInstanceOf(ProviderError);
    await expect(lost).rejects.toMatchObject({ retryable: true, code: 'FAKE_LOST_RESPONSE' });
    expect(await fake.getInstance(input.id)).not.toBeNull();

    const retried = await fake.createInstance(input);
    expect(retried.upstreamId).toBe('fake-1');
    expect(fake.launches).toBe(1);
  });

  it('fails an injected error before doing any work', async () => {
    const fake = createFakeComputeProvider();
    fake.failNext('createInstance', { retryable: false });

    await expect(fake.createInstance(input)).rejects.toMatchObject({ retryable: false, code: 'FAKE_FAILURE' });
    expect(await fake.listInstances()).toEqual([]);
  });

  it('replays the same failures for the same seed', async () => {
    const outcomes = async (seed: number) => {
      const fake = createFakeComputeProvider({ failureRate: 0.5, seed });
      const results: string[] = [];
      for (let index = 0; index < 20; index += 1) {
        results.push(
          await fake.listInstances().then(
            () => 'ok',
            () => 'failed',
          ),
        );
      }
      return results;
    };

    const first = await outcomes(42);
    expect(await outcomes(42)).toEqual(first);
    expect(first).toContain('ok');
    expect(first).toContain('failed');
  });

  it('terminates through terminating to terminated, and terminating twice is a no-op', async () => {
    let clock = 0;
    const fake = createFakeComputeProvider({ shutdownMs: 10, now: () => clock });
    await fake.createInstance(input);

    await fake.terminateInstance(input.id);
    const during = await fake.getInstance(input.id);
    clock += 10;
    await fake.terminateInstance(input.id);
    const after = await fake.getInstance(input.id);

    expect(during?.state).toBe('terminating');
    expect(after).toMatchObject({ state: 'terminated', ipAddress: null });
  });

  it('treats terminating an unknown id as success', async () => {
    const fake = createFakeComputeProvider();

    await expect(fake.terminateInstance('never-created')).resolves.toBeUndefined();
  });

  it('can lose an instance behind Overcast’s back, or stop it', async () => {
    const fake = createFakeComputeProvider();
    await fake.createInstance(input);
    await fake.createInstance({ ...input, id: 'second' });

    expect(fake.vanish(input.id)).toBe(true);
    fake.setState('second', 'terminated');

    expect(await fake.getInstance(input.id)).toBeNull();
    expect((await fake.listInstances()).map((instance) => [instance.id, instance.state])).toEqual([
      ['second', 'terminated'],
    ]);
  });

  it('refuses images it does not have, permanently, and offers the ones it has', async () => {
    const fake = createFakeComputeProvider();

    expect((await fake.listImages?.())?.map((image) => image.id)).toEqual(['standard-image', 'debian-12']);
    await expect(fake.createInstance({ ...input, id: 'good', image: 'debian-12' })).resolves.toMatchObject({
      id: 'good',
    });
    await expect(fake.createInstance({ ...input, image: 'nonexistent-image' })).rejects.toMatchObject({
      retryable: false,
    });
    await expect(fake.createInstance({ ...input, image: '' })).rejects.toMatchObject({ code: 'IMAGE_NOT_FOUND' });
  });

  it('answers the newest image of a role and a stable group id', async () => {
    const fake = createFakeComputeProvider({
      images: [
        { id: 'worker-2026-01', name: 'worker-1', roles: ['worker'], createdAt: new Date('2026-01-01') },
        { id: 'worker-2026-02', name: 'worker-2', roles: ['worker'], createdAt: new Date('2026-02-01') },
      ],
    });

    expect((await fake.findNewestImage('worker'))?.id).toBe('worker-2026-02');
    expect(await fake.findNewestImage('web')).toBeNull();
    expect(await fake.ensureSshSecurityGroup('ssh')).toBe(await fake.ensureSshSecurityGroup('ssh'));
  });

  it('waits the injected latency before answering', async () => {
    jest.useFakeTimers();
    try {
      const fake = createFakeComputeProvider({ latencyMs: 200 });
      let answered = false;
      const pending = fake.listInstances().then(() => {
        answered = true;
      });
      await jest.advanceTimersByTimeAsync(199);
      expect(answered).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      await pending;
      expect(answered).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@overcast/test-kit';
import type { LocalComputeConfig, LocalComputeProvider, ProviderInstance } from '../../src';
import { createLocalComputeProvider } from '../../src';

const images: LocalComputeConfig['images'] = {
  'worker-2026-10': { roles: ['worker'], createdAt: '2026-10-01T00:00:00Z' },
  'worker-2026-11': { roles: ['worker'], createdAt: '2026-11-01T00:00:00Z', description: 'current worker' },
  web: { roles: ['web'] },
};

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function stateOf(provider: LocalComputeProvider, id: string, state: ProviderInstance['state']) {
  return waitFor(`${id} to be ${state}`, async () => {
    const instance = await provider.getInstance(id);
    return instance?.state === state ? instance : undefined;
  });
}

describe('local provider: life cycle, idempotency and restarts', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'overcast-local-life-'));
  const providers: LocalComputeProvider[] = [];
  const open = (config: Partial<LocalComputeConfig> = {}) => {
    const provider = createLocalComputeProvider({ dataDir, images, terminationGraceMs: 1_000, ...config });
    providers.push(provider);
    return provider;
  };

  afterAll(async () => {
    const provider = open();
    for (const instance of await provider.listInstances()) await provider.terminateInstance(instance.id);
    await waitFor('every instance to stop', async () =>
      (await provider.listInstances()).every((instance) => instance.state === 'terminated'),
    );
    await Promise.all(providers.map((each) => each.close()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('returns the existing instance for a repeated id and gives each new instance its own address', async () => {
    const provider = open();
    const input = { id: 'idem-1', image: 'web', instanceType: 'standard' as const };

    const [first, again] = await Promise.all([provider.createInstance(input), provider.createInstance(input)]);
    const second = await provider.createInstance({ ...input, id: 'idem-2' });

    expect(again.upstreamId).toBe(first.upstreamId);
    expect([first.ipAddress, second.ipAddress]).toEqual(['127.100.0.1', '127.100.0.2']);
    expect((await provider.listInstances()).map((instance) => instance.id).sort()).toEqual(['idem-1', 'idem-2']);
    await stateOf(provider, 'idem-1', 'running');
  });

  it('re-adopts a still-running instance after a restart and can terminate it from the new provider', async () => {
    const before = open();
    const pid = (await before.getInstance('idem-1'))?.upstreamId;
    await before.close();

    const after = open();
    expect(await after.getInstance('idem-1')).toMatchObject({
      state: 'running',
      upstreamId: pid,
      ipAddress: '127.100.0.1',
    });

    await after.terminateInstance('idem-1');
    await stateOf(after, 'idem-1', 'terminated');
  });

  it('marks an instance that died while no provider watched as terminated on the next start', async () => {
    const before = open();
    const pid = Number((await before.getInstance('idem-2'))?.upstreamId);
    await before.close();
    process.kill(-pid, 'SIGKILL');
    await waitFor('the killed process to disappear', () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    });

    const after = open();
    expect(await after.getInstance('idem-2')).toMatchObject({ state: 'terminated', ipAddress: null });
  });

  // A control plane SIGKILLed between spawning the agent and saving its pid left a record that names no process.
  it('adopts an agent whose pid was never saved instead of calling it never started, so it can still be terminated', async () => {
    const before = open();
    await before.createInstance({ id: 'unsaved-pid', image: 'web', instanceType: 'standard' });
    const pid = Number((await stateOf(before, 'unsaved-pid', 'running')).upstreamId);
    await before.close();
    const recordFile = join(dataDir, 'instances', 'unsaved-pid', 'instance.json');
    writeFileSync(recordFile, JSON.stringify({ ...JSON.parse(readFileSync(recordFile, 'utf8')), pid: null }));

    const after = open();

    expect(await after.getInstance('unsaved-pid')).toMatchObject({ state: 'running', upstreamId: String(pid) });
    await after.terminateInstance('unsaved-pid');
    await stateOf(after, 'unsaved-pid', 'terminated');
    // Reaped by this test process (its parent) asynchronously: until then a zombie answers signal 0.
    await waitFor('the adopted agent to be gone', () => !isAlive(pid));
  });

  it('forgets an instance whose agent never started, so that the retried create launches it', async () => {
    const before = open();
    await before.createInstance({ id: 'never-spawned', image: 'web', instanceType: 'standard' });
    const pid = Number((await stateOf(before, 'never-spawned', 'running')).upstreamId);
    await before.close();
    process.kill(-pid, 'SIGKILL');
    await waitFor('the agent to be gone', () => !isAlive(pid));
    const recordFile = join(dataDir, 'instances', 'never-spawned', 'instance.json');
    writeFileSync(recordFile, JSON.stringify({ ...JSON.parse(readFileSync(recordFile, 'utf8')), pid: null }));

    const after = open();
    expect(await after.getInstance('never-spawned')).toBeNull();
    await after.createInstance({ id: 'never-spawned', image: 'web', instanceType: 'standard' });

    await stateOf(after, 'never-spawned', 'running');
  });

  it('escalates to SIGKILL when the instance ignores SIGTERM, staying terminating meanwhile', async () => {
    const provider = open({ terminationGraceMs: 1_500 });
    await provider.createInstance({
      id: 'stubborn',
      image: 'web',
      instanceType: 'standard',
      userData: "#!/bin/sh\ntrap '' TERM\necho ignoring TERM\nsleep 60\n",
    });
    await waitFor('the script to start ignoring TERM', async () =>
      (await provider.readConsole('stubborn'))?.includes('ignoring TERM'),
    );

    await provider.terminateInstance('stubborn');
    await provider.terminateInstance('stubborn');
    expect((await provider.getInstance('stubborn'))?.state).toBe('terminating');

    await stateOf(provider, 'stubborn', 'terminated');
  });

  it('refuses an image outside the catalog and an id that is not a safe name, permanently', async () => {
    const provider = open();

    await expect(
      provider.createInstance({ id: 'x1', image: 'constructor', instanceType: 'standard' }),
    ).rejects.toMatchObject({
      retryable: false,
      code: 'IMAGE_NOT_FOUND',
      message: expect.stringContaining('the catalog has: worker-2026-10, worker-2026-11, web'),
    });
    await expect(
      provider.createInstance({ id: '../escape', image: 'web', instanceType: 'standard' }),
    ).rejects.toMatchObject({
      retryable: false,
      code: 'INVALID_ID',
    });
  });

  it('answers unknown ids with null and terminating them with success', async () => {
    const provider = open();

    expect(await provider.getInstance('never')).toBeNull();
    expect(await provider.readConsole('never')).toBeNull();
    await expect(provider.terminateInstance('never')).resolves.toBeUndefined();
  });

  it('finds the newest catalog image of a role and needs no security group', async () => {
    const provider = open();

    expect(await provider.findNewestImage('worker')).toEqual({
      id: 'worker-2026-11',
      name: 'worker-2026-11',
      createdAt: new Date('2026-11-01T00:00:00Z'),
    });
    expect(await provider.findNewestImage('db')).toBeNull();
    expect(await provider.ensureSshSecurityGroup('anything')).toBeNull();
  });

  it('rejects bad operator config naming the field', () => {
    expect(() => createLocalComputeProvider({ dataDir, images: {} })).toThrow(
      'local.images: at least one image is required',
    );
    expect(() => createLocalComputeProvider({ dataDir, images, addressPrefix: '10.0' })).toThrow(
      'local.addressPrefix: must look like "127.<0-255>"',
    );
    expect(() => createLocalComputeProvider({ dataDir, images: { 'bad name': {} } })).toThrow('local.images');
  });
});

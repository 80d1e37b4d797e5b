import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@overcast/test-kit';
import type { LocalComputeProvider } from '../../src';
import { createLocalComputeProvider } from '../../src';
import { startInitScriptServer } from '../support/init-script-server';

/** Running means present and not a zombie waiting to be reaped. */
function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('local provider: booting real processes', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'overcast-local-boot-'));
  let provider: LocalComputeProvider;
  let initScripts: Awaited<ReturnType<typeof startInitScriptServer>>;

  beforeAll(async () => {
    initScripts = await startInitScriptServer({
      'build-1': {
        secret: 'p@ss/word',
        body: '#!/bin/sh\necho "init script ran on $OVERCAST_INSTANCE_IP as $OVERCAST_INSTANCE_ID"\necho "to stderr" >&2\necho "leaked: ${OVERCAST_TEST_CONTROL_PLANE_SECRET:-nothing}"\n',
      },
    });
    process.env.OVERCAST_TEST_CONTROL_PLANE_SECRET = 'database-password';
    provider = createLocalComputeProvider({
      dataDir,
      // Its own prefix: other suites run providers concurrently, and these instances bind ports.
      addressPrefix: '127.101',
      images: { 'worker-image': { roles: ['worker'], env: { NODE_BINARY: process.execPath } } },
      terminationGraceMs: 2_000,
    });
  });

  afterAll(async () => {
    delete process.env.OVERCAST_TEST_CONTROL_PLANE_SECRET;
    for (const instance of await provider.listInstances()) await provider.terminateInstance(instance.id);
    await waitFor('every local instance to stop', async () =>
      (await provider.listInstances()).every((instance) => instance.state === 'terminated'),
    );
    await provider.close();
    await initScripts.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('fetches the #include script with Basic credentials, runs it into the console log and reports running', async () => {
    const id = 'boot-include-ok';
    const created = await provider.createInstance({
      id,
      image: 'worker-image',
      instanceType: 'standard',
      userData: `#include ${initScripts.includeUrl('build-1', 'p@ss/word')}\n`,
      tags: { role: 'worker' },
    });
    expect(created).toMatchObject({
      id,
      state: 'starting',
      ipAddress: '127.101.0.1',
      tags: { role: 'worker', 'overcast-id': id },
    });

    const console = await waitFor('the init script output', async () => {
      const text = await provider.readConsole(id);
      return text?.includes('finished with exit code 0') ? text : undefined;
    });

    expect(console).toContain(`init script ran on 127.101.0.1 as ${id}`);
    expect(console).toContain('to stderr');
    // The control plane's environment never reaches an instance, and neither do credentials reach the log.
    expect(console).toContain('leaked: nothing');
    expect(console).not.toContain('p@ss');
    expect(initScripts.seenAuthorizations).toContain(`Basic ${Buffer.from('x:p@ss/word').toString('base64')}`);
    const running = await provider.getInstance(id);
    expect(running).toMatchObject({ state: 'running', ipAddress: '127.101.0.1' });
    expect(isProcessAlive(Number(running?.upstreamId))).toBe(true);
  });

  it('terminates with SIGTERM: the process is gone, the state terminated and the address no longer reported', async () => {
    const id = 'boot-include-ok';
    const pid = Number((await provider.getInstance(id))?.upstreamId);

    await provider.terminateInstance(id);
    const terminated = await waitFor('terminated state', async () => {
      const instance = await provider.getInstance(id);
      return instance?.state === 'terminated' ? instance : undefined;
    });

    expect(terminated.ipAddress).toBeNull();
    expect(isProcessAlive(pid)).toBe(false);
    expect(await provider.readConsole(id)).toContain('SIGTERM received: shutting down');
  });

  it('fails the boot visibly when the init-script credentials are wrong', async () => {
    const id = 'boot-include-denied';
    const created = await provider.createInstance({
      id,
      image: 'worker-image',
      instanceType: 'standard',
      userData: `#include ${initScripts.includeUrl('build-1', 'wrong-secret')}\n`,
    });

    // The terminated instance's address went back to the pool.
    expect(created.ipAddress).toBe('127.101.0.1');
    await waitFor('the failed boot to power off', async () => (await provider.getInstance(id))?.state === 'terminated');

    const console = await provider.readConsole(id);
    expect(console).toContain('boot failed: #include http://127.0.0.1:');
    expect(console).toContain('answered HTTP 403');
    expect(console).not.toContain('wrong-secret');
  });

  it('serves on its own loopback address, reachable at the reported ip', async () => {
    const id = 'boot-server';
    const created = await provider.createInstance({
      id,
      image: 'worker-image',
      instanceType: 'standard',
      userData:
        "#!/bin/sh\nexec \"$NODE_BINARY\" -e \"require('node:http').createServer((q, s) => s.end('hello from ' + process.env.OVERCAST_INSTANCE_ID)).listen(8080, process.env.OVERCAST_INSTANCE_IP, () => console.log('listening'))\"\n",
    });
    await waitFor('the instance to listen', async () => (await provider.readConsole(id))?.includes('listening'));

    const response = await fetch(`http://${created.ipAddress}:8080/`);

    expect(created.ipAddress).toMatch(/^127\.101\.0\.\d+$/);
    expect(await response.text()).toBe('hello from boot-server');
    await provider.terminateInstance(id);
    await waitFor('the server instance to stop', async () => (await provider.getInstance(id))?.state === 'terminated');
  });

  it('runs an inline #! script directly and keeps the instance up after it finishes', async () => {
    const id = 'boot-inline';
    await provider.createInstance({
      id,
      image: 'worker-image',
      instanceType: 'premium',
      userData: '#!/bin/bash\necho "bash ${BASH_VERSINFO[0]} on $OVERCAST_INSTANCE_TYPE, home $HOME"\nexit 3\n',
    });

    const console = await waitFor('the inline script to finish', async () => {
      const text = await provider.readConsole(id);
      return text?.includes('finished with exit code 3') ? text : undefined;
    });

    expect(console).toMatch(/bash \d+ on premium, home .*boot-inline\/home/);
    expect((await provider.getInstance(id))?.state).toBe('running');
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalComputeProvider, createProviderRegistry, type LocalComputeProvider } from '@overcast/providers';
import { describeWithServices } from '@overcast/test-kit';
import { startControlPlane, type ControlPlane } from './support/control-plane';
import { deleteUntilGone, patience, processExists, waitFor, waitUntilRunning } from './support/round-trip';

describeWithServices('an instance build on the local provider, through the gateway', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'overcast-e2e-build-'));
  let local: LocalComputeProvider;
  let controlPlane: ControlPlane;

  beforeAll(async () => {
    local = createLocalComputeProvider({
      dataDir,
      addressPrefix: '127.152',
      terminationGraceMs: 2_000,
      images: {
        'debian-local': {
          description: 'a plain shell',
          roles: ['worker'],
          createdAt: new Date('2026-11-01T00:00:00Z'),
        },
      },
    });
    controlPlane = await startControlPlane(createProviderRegistry([local]));
  });

  afterAll(async () => {
    await controlPlane?.stop();
    await local?.close?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('boots one instance, whatever count (its VM concurrency), that fetches its init script from the gateway and runs it, then terminates it', async () => {
    const { client } = controlPlane;
    const build = await client.builds.create({
      site: 'org',
      env: 'staging',
      role: 'worker',
      queue: 'docker',
      instance_type: 'standard',
      count: 2,
      provider: 'local',
    });
    expect(build).toEqual(expect.objectContaining({ provider: 'local', count: 2, boot_instance: true }));

    const started = await waitFor(
      'the build to create its instance',
      async () => {
        const current = await client.builds.get(build.id);
        return current.instance_ids.length > 0 && current;
      },
      patience,
    );
    expect(started.image).toBe('debian-local'); // the newest local image for the role
    // One catalog: GET /images lists the image the build booted, as the active one for its provider and role.
    expect(await client.images.list({ role: 'worker', active: true })).toEqual([
      expect.objectContaining({ provider: 'local', image_id: 'debian-local', role: 'worker', active: true }),
    ]);
    const ids = started.instance_ids;
    expect(ids).toHaveLength(1);

    const running = await Promise.all(ids.map((id) => waitUntilRunning(controlPlane, id)));
    expect(running.map((instance) => instance.ip_address)).toEqual([expect.stringMatching(/^127\.152\./)]);
    for (const id of ids) {
      // The boot agent fetched `#include <gateway>/init-scripts/<build>` and ran the rendered script.
      const output = await waitFor(
        `instance ${id} to run its init script`,
        async () => {
          const text = await local.readConsole(id);
          return text?.includes('exit code') && text;
        },
        patience,
      );
      expect(output).toContain('booting worker for org/staging/docker');
      expect(await client.builds.getInitScript(build.id)).toContain("OVERCAST_INSTANCE_COUNT='2'");
      const initScriptUrl = `${controlPlane.gatewayUrl}/init-scripts/${build.id}`;
      expect(output).toContain(`fetching #include ${initScriptUrl}`);
      expect(output).toContain(`${initScriptUrl} finished with exit code 0`);
    }

    const pids = running.map((instance) => Number(instance.upstream_id));
    expect(pids.every(processExists)).toBe(true);
    for (const id of ids) await deleteUntilGone(controlPlane, id);
    await waitFor('the boot agent to exit', () => !pids.some(processExists), patience);
    for (const id of ids) expect((await local.getInstance(id))?.state).toBe('terminated');
  });
});

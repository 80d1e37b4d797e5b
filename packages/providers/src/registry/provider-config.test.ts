import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '@overcast/contracts';
import { createComputeProvider } from './provider-config';

describe('createComputeProvider from operator config', () => {
  it('builds each provider type from its config', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'overcast-config-'));
    try {
      const built = [
        createComputeProvider({ type: 'aws', region: 'eu-west-1', instanceTypes: { premium: 'c6i.xlarge' } }),
        createComputeProvider({ type: 'gce', projectId: 'p', zone: 'europe-west1-b' }),
        createComputeProvider({ type: 'local', dataDir, images: { web: { roles: ['web'] } } }),
        createComputeProvider({ type: 'fake', name: 'fake-eu', failureRate: 0 }),
      ];

      expect(built.map((provider) => provider.name)).toEqual(['aws', 'gce', 'local', 'fake-eu']);
      await Promise.all(built.map(async (provider) => provider.close?.()));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('reports every invalid field by path as a bad_request', () => {
    let thrown: unknown;
    try {
      createComputeProvider({ type: 'gce', zone: 3, diskSizeGb: -1, extra: true });
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(AppError);
    const { code, details } = (thrown as AppError).toJSON();
    expect(code).toBe('bad_request');
    expect(details.map((detail) => detail.path)).toEqual(
      expect.arrayContaining(['config.projectId', 'config.zone', 'config.diskSizeGb', 'config']),
    );
  });

  it("gives the fake cloud the operator's images, each named by its id unless given a name", async () => {
    const fake = createComputeProvider({
      type: 'fake',
      images: [{ id: 'ami-0aa1', roles: ['worker'], createdAt: '2026-11-01T00:00:00Z' }],
    });
    expect(await fake.listImages?.()).toEqual([
      { id: 'ami-0aa1', name: 'ami-0aa1', roles: ['worker'], createdAt: new Date('2026-11-01T00:00:00Z') },
    ]);
    expect(() => createComputeProvider({ type: 'fake', images: [{ id: '' }] })).toThrow(AppError);
  });

  it('refuses an unknown provider type', () => {
    expect(() => createComputeProvider({ type: 'azure' })).toThrow(AppError);
  });
});

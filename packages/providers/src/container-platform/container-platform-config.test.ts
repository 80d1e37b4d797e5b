import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '@overcast/contracts';
import { createContainerPlatform } from './container-platform-config';

describe('createContainerPlatform from operator config', () => {
  it('builds each platform type from its config', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'overcast-container-config-'));
    try {
      const built = [
        createContainerPlatform({ type: 'aws', region: 'ap-northeast-1', maxAttempts: 8 }),
        createContainerPlatform({ type: 'local', dataDir, balancerProtocol: 'tcp' }),
        createContainerPlatform({ type: 'fake', name: 'fake-slow', latencyMs: { min: 1, max: 5 }, rolloutMs: 100 }),
      ];

      expect(built.map((platform) => platform.name)).toEqual(['aws', 'local', 'fake-slow']);
      await Promise.all(built.map(async (platform) => platform.close?.()));
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('reports every invalid field by path as a bad_request', () => {
    let thrown: unknown;
    try {
      createContainerPlatform({ type: 'local', addressPrefix: '10.0', balancerProtocol: 'udp', extra: 1 });
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(AppError);
    const { code, details } = (thrown as AppError).toJSON();
    expect(code).toBe('bad_request');
    expect(details.map((detail) => detail.path)).toEqual(
      expect.arrayContaining(['config.addressPrefix', 'config.balancerProtocol']),
    );
    expect(() => createContainerPlatform({ type: 'ecs' })).toThrow(AppError);
  });
});

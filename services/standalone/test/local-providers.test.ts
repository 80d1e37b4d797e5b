import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalComputeProvider, LocalContainerPlatform } from '@overcast/providers';
import { createLogger } from '@overcast/service-kit';
import { createLocalContainerPlatforms, createLocalProviders, localImagesFileOf } from '../src/local-providers';

const logger = createLogger({ service: 'standalone-test', level: 'silent' });

describe("pnpm start's local provider", () => {
  const root = mkdtempSync(join(tmpdir(), 'overcast-local-providers-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  async function imagesOf(env: NodeJS.ProcessEnv, dataDir: string) {
    const registry = createLocalProviders(join(root, dataDir), env, logger);
    try {
      const local = registry.get('local') as LocalComputeProvider;
      return {
        images: (await local.listImages!()).map((image) => image.id),
        worker: (await local.findNewestImage('worker'))?.id,
        names: registry.names(),
      };
    } finally {
      await registry.close();
    }
  }

  it("boots the catalog of the operator's LOCAL_IMAGES_FILE, read from where pnpm start was typed", async () => {
    const operatorDir = join(root, 'operator');
    rmSync(operatorDir, { recursive: true, force: true });
    mkdirSync(operatorDir);
    writeFileSync(
      join(operatorDir, 'images.json'),
      JSON.stringify({
        // `disk` is the image inspector's (what to read to find RHEL); the local provider boots without it.
        'bash-vm': { roles: ['worker'], shell: '/bin/bash', createdAt: '2026-12-01T00:00:00Z', disk: 'bash-vm.tar' },
        'old-vm': { roles: ['worker'], createdAt: '2026-01-01T00:00:00Z' },
      }),
    );
    expect(await imagesOf({ LOCAL_IMAGES_FILE: 'images.json', INIT_CWD: operatorDir }, 'with-file')).toEqual({
      images: ['bash-vm', 'old-vm'],
      worker: 'bash-vm',
      names: ['fake', 'local'],
    });
    // The image inspector is given the same file, resolved the same way.
    expect(localImagesFileOf({ LOCAL_IMAGES_FILE: 'images.json', INIT_CWD: operatorDir })).toBe(
      join(operatorDir, 'images.json'),
    );
    expect(localImagesFileOf({})).toBeUndefined();
  });

  it("gives the app manager's local districts the same catalog: its images with an entrypoint beside hello-web", async () => {
    const operatorDir = join(root, 'operator-apps');
    mkdirSync(operatorDir, { recursive: true });
    writeFileSync(
      join(operatorDir, 'images.json'),
      JSON.stringify({
        'bash-vm': { roles: ['worker'], shell: '/bin/bash' },
        'echo-web': { entrypoint: ['/bin/echo', 'hello'] },
      }),
    );
    async function runnableOf(env: NodeJS.ProcessEnv, dataDir: string) {
      const platforms = createLocalContainerPlatforms(join(root, dataDir), env);
      try {
        return {
          names: platforms.names(),
          runnable: (platforms.get('local') as LocalContainerPlatform).runnableImages(),
        };
      } finally {
        await platforms.close();
      }
    }
    expect(await runnableOf({ LOCAL_IMAGES_FILE: 'images.json', INIT_CWD: operatorDir }, 'apps-with-file')).toEqual({
      names: ['aws', 'fake', 'local'],
      runnable: ['hello-web', 'echo-web'],
    });
    expect((await runnableOf({}, 'apps-default')).runnable).toEqual(['hello-web']);
  });

  it('boots the default catalog (debian-local) when LOCAL_IMAGES_FILE is unset', async () => {
    expect(await imagesOf({}, 'default')).toMatchObject({ images: ['debian-local'], worker: 'debian-local' });
  });

  it('refuses an unreadable catalog or a bad address prefix, naming the variable', () => {
    expect(() =>
      createLocalProviders(join(root, 'missing'), { LOCAL_IMAGES_FILE: join(root, 'nope.json') }, logger),
    ).toThrow('LOCAL_IMAGES_FILE: cannot read');
    expect(() => createLocalProviders(join(root, 'prefix'), { LOCAL_ADDRESS_PREFIX: '10.0' }, logger)).toThrow(
      'LOCAL_ADDRESS_PREFIX',
    );
  });
});

import path from 'node:path';
import { createContainerPlatforms } from '@overcast/app-manager';
import { createLocalProviderFromConfig, parseLocalProviderVariables } from '@overcast/instance-broker';
import { createFakeComputeProvider, createProviderRegistry, type ProviderRegistry } from '@overcast/providers';
import type { Logger } from '@overcast/service-kit';

/**
 * `local` (real processes, the default) and `fake` (in memory, no processes). `local` is built by the broker's own
 * wiring from the same variables (LOCAL_IMAGES_FILE, LOCAL_ADDRESS_PREFIX), so `pnpm start` boots the catalog the
 * operator's broker would; the data dir is the standalone's. A relative LOCAL_IMAGES_FILE is read from the directory
 * `pnpm start` was typed in (pnpm's INIT_CWD), not from the package directory pnpm runs the script in.
 */
export function createLocalProviders(dataDir: string, env: NodeJS.ProcessEnv, logger: Logger): ProviderRegistry {
  const variables = parseLocalProviderVariables(env);
  return createProviderRegistry([
    createLocalProviderFromConfig(dataDir, { ...variables, LOCAL_IMAGES_FILE: localImagesFileOf(env) }, logger),
    createFakeComputeProvider(),
  ]);
}

/**
 * LOCAL_IMAGES_FILE as an absolute path, read from where `pnpm start` was typed: the broker boots its catalog, and
 * the image inspector reads the disks it names.
 */
export function localImagesFileOf(env: NodeJS.ProcessEnv): string | undefined {
  const file = parseLocalProviderVariables(env).LOCAL_IMAGES_FILE;
  return file && path.resolve(env.INIT_CWD ?? process.cwd(), file);
}

/**
 * The app manager's platforms on `pnpm start`: districts on this machine (`local`: hello-web and the images of the
 * same LOCAL_IMAGES_FILE the broker boots that have an `entrypoint`), in memory (`fake`), or on ECS (`aws`).
 */
export function createLocalContainerPlatforms(dataDir: string, env: NodeJS.ProcessEnv) {
  return createContainerPlatforms({
    names: 'local,fake,aws',
    localDataDir: dataDir,
    localImagesFile: localImagesFileOf(env),
  });
}

import { createContainerPlatform, createProviderRegistry, readLocalImagesFile } from '@overcast/providers';
import type { ContainerPlatforms } from './domain/context';

export interface ContainerPlatformOptions {
  /** Comma-separated: `local`, `aws`, `fake`. */
  names: string;
  /** Where the local platform keeps its districts' state and task ledger (a restart resumes them); none: memory. */
  localDataDir?: string;
  /** The operator's image catalog (LOCAL_IMAGES_FILE, the instance broker's); none: hello-web only. */
  localImagesFile?: string;
  /** Region of aws districts that name none. */
  awsRegion?: string;
}

/** The container platforms this process runs districts on, built by the providers' own config (caller closes them). */
export function createContainerPlatforms(options: ContainerPlatformOptions): ContainerPlatforms {
  const names = new Set(
    options.names
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean),
  );
  return createProviderRegistry(
    [...names].map((type) => {
      if (type === 'local')
        return createContainerPlatform({
          type,
          dataDir: options.localDataDir,
          // Validated by the platform's config, as the broker's local provider validates the same file.
          ...(options.localImagesFile ? { images: readLocalImagesFile(options.localImagesFile) } : {}),
        });
      if (type === 'aws') return createContainerPlatform({ type, region: options.awsRegion });
      return createContainerPlatform({ type });
    }),
  );
}

import {
  createAwsComputeProvider,
  createFakeComputeProvider,
  createGceComputeProvider,
  createLocalComputeProvider,
  createProviderRegistry,
  decryptJson,
  parseEncryptionKey,
  readLocalImagesFile,
  type AwsComputeConfig,
  type ComputeProvider,
  type GceComputeConfig,
  type LocalComputeConfig,
  type LocalComputeProvider,
  type ProviderRegistry,
} from '@overcast/providers';
import type { BrokerConfig, LocalProviderVariables } from './config';
import type { DomainLogger } from './domain/logger';

/**
 * The local catalog when the operator names none (and the one `pnpm start` uses): a supervised process whose
 * boot agent runs the instance's user data (`#include <gateway>/init-scripts/<build>`) with /bin/sh, then stays
 * up until terminated. API callers choose an image by name, never a command.
 */
export const defaultLocalImages: LocalComputeConfig['images'] = {
  'debian-local': {
    description: 'A local "VM": runs its cloud-init user data with /bin/sh, then stays up until terminated',
    roles: ['worker', 'web'],
    shell: '/bin/sh',
    createdAt: new Date('2026-11-01T00:00:00Z'),
  },
};

/** The associated data a provider config is sealed with: a config pasted under another provider does not open. */
export function providerConfigContext(provider: string): string {
  return `provider:${provider}`;
}

function openSealed<T>(variable: string, sealed: string | undefined, key: Buffer, provider: string): T {
  if (!sealed) throw new Error(`${variable}: is required when PROVIDERS includes ${provider}`);
  try {
    return decryptJson(sealed, key, providerConfigContext(provider)) as T;
  } catch (error) {
    throw new Error(`${variable}: cannot be opened with OVERCAST_ENCRYPTION_KEY (${(error as Error).message})`, {
      cause: error,
    });
  }
}

/**
 * The local provider as the operator configured it: the catalog of LOCAL_IMAGES_FILE (`defaultLocalImages` when
 * unset) and LOCAL_ADDRESS_PREFIX. The broker's main and `pnpm start` both build it here, so both boot one catalog.
 */
export function createLocalProviderFromConfig(
  dataDir: string,
  variables: LocalProviderVariables,
  logger: DomainLogger,
): LocalComputeProvider {
  return createLocalComputeProvider(
    {
      name: 'local',
      dataDir,
      addressPrefix: variables.LOCAL_ADDRESS_PREFIX,
      images: variables.LOCAL_IMAGES_FILE
        ? (readLocalImagesFile(variables.LOCAL_IMAGES_FILE) as LocalComputeConfig['images'])
        : defaultLocalImages,
    },
    { warn: (message) => logger.warn({ provider: 'local' }, message) },
  );
}

/** The enabled providers, built from the operator's configuration; the caller closes the registry. */
export function createProvidersFromConfig(config: BrokerConfig, logger: DomainLogger): ProviderRegistry {
  const key = parseEncryptionKey(config.OVERCAST_ENCRYPTION_KEY);
  const providers: ComputeProvider[] = config.PROVIDERS.map((name): ComputeProvider => {
    switch (name) {
      case 'aws':
        return createAwsComputeProvider(
          openSealed<AwsComputeConfig>('AWS_PROVIDER_CONFIG', config.AWS_PROVIDER_CONFIG, key, 'aws'),
        );
      case 'gce':
        return createGceComputeProvider(
          openSealed<GceComputeConfig>('GCE_PROVIDER_CONFIG', config.GCE_PROVIDER_CONFIG, key, 'gce'),
        );
      case 'local':
        return createLocalProviderFromConfig(config.LOCAL_DATA_DIR, config, logger);
      case 'fake':
        return createFakeComputeProvider({ name: 'fake' });
    }
  });
  return createProviderRegistry(providers);
}

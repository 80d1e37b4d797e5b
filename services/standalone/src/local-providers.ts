import { defaultLocalImages } from '@overcast/instance-broker';
import {
  createFakeComputeProvider,
  createLocalComputeProvider,
  createProviderRegistry,
  type ProviderRegistry,
} from '@overcast/providers';

/** `local` (real processes booting the default catalog, the default) and `fake` (in memory, no processes). */
export function createLocalProviders(dataDir: string): ProviderRegistry {
  return createProviderRegistry([
    createLocalComputeProvider({ dataDir, images: defaultLocalImages }),
    createFakeComputeProvider(),
  ]);
}

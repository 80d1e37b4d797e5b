import { createFakeComputeProvider, createLocalComputeProvider, createProviderRegistry, type ProviderRegistry } from '@overcast/providers';

/**
 * The images a local instance can boot on embedded defaults. Each is a supervised process whose boot agent
 * runs the instance's user data (`#include <gateway>/init-scripts/<build>`) with the image's shell; API
 * callers choose an image by name, never a command.
 */
const localImages = {
  'debian-local': {
    description: 'A local "VM": runs its cloud-init user data with /bin/sh, then stays up until terminated',
    roles: ['worker', 'web'],
    shell: '/bin/sh',
    createdAt: new Date('2026-11-01T00:00:00Z'),
  },
};

/** `local` (real processes, the default) and `fake` (in memory, for trying the API without processes). */
export function createLocalProviders(dataDir: string): ProviderRegistry {
  return createProviderRegistry([createLocalComputeProvider({ dataDir, images: localImages }), createFakeComputeProvider()]);
}

import { createFakeContainerPlatform, createProviderRegistry, type ContainerPlatform } from '@overcast/providers';
import type { ContainerPlatforms } from './domain/context';

/** The platforms CONTAINER_PROVIDERS names, built for this process (the caller closes them). */
export function createContainerPlatforms(names: string): ContainerPlatforms {
  const platforms: ContainerPlatform[] = [];
  for (const name of new Set(
    names
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean),
  )) {
    if (name === 'fake') platforms.push(createFakeContainerPlatform());
    else throw new Error(`CONTAINER_PROVIDERS: no container platform named ${name} in this build (fake)`);
  }
  return createProviderRegistry(platforms);
}

import type { LocalComputeConfig, ProviderCatalogImage } from '@overcast/providers';

/**
 * The node catalog when the operator names none: images a deployment's services may name (`image: hello-web`),
 * each a supervised local process on its own loopback address that stays up until its node is removed. Nodes run
 * only what an operator put in the catalog, never a command from a deployment file.
 */
export const defaultNodeImages: LocalComputeConfig['images'] = {
  'hello-web': {
    description: 'A node that boots and stays up until removed (the example deployment’s image)',
    shell: '/bin/sh',
    createdAt: new Date('2026-12-01T00:00:00Z'),
  },
};

/**
 * A node catalog as a cloud's image list, for an agent on another provider than local: the fake cloud of tests and
 * benchmarks boots exactly the images it lists, so it lists the ones deployments name.
 */
export function nodeCatalogImages(images: LocalComputeConfig['images'] = defaultNodeImages): ProviderCatalogImage[] {
  return Object.entries(images).map(([id, image]) => ({
    id,
    name: id,
    roles: ['web', 'worker'],
    createdAt: image.createdAt instanceof Date ? image.createdAt : new Date(0),
  }));
}

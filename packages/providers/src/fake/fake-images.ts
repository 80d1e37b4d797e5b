import type { ProviderCatalogImage } from '../core/compute';

/**
 * The fake cloud's images when its options name none. `standard-image` is the image cloud-brain's own fake provider
 * booted (its tests refused "" and any other name), so cloud-brain's clients replay unchanged; `debian-12` serves
 * web as well as worker. Like a cloud's, this list is what exists: a create with any other image fails.
 */
export const defaultFakeImages: readonly ProviderCatalogImage[] = [
  { id: 'standard-image', name: 'standard-image', roles: ['worker'], createdAt: new Date('2016-03-01T00:00:00Z') },
  {
    id: 'debian-12',
    name: 'Debian 12 (bookworm)',
    roles: ['worker', 'web'],
    createdAt: new Date('2023-06-10T00:00:00Z'),
  },
];

import type { ComputeProvider, ProviderCatalogImage } from '@overcast/providers';
import { createListImages } from './list-images';
import type { BrokerStore } from './ports';
import type { ImageRecord } from './records';

const offered: ProviderCatalogImage[] = [
  { id: 'debian-local', name: 'debian-local', createdAt: new Date('2026-11-01T00:00:00Z'), roles: ['worker'] },
  { id: 'debian-old', name: 'debian-old', createdAt: new Date('2026-01-01T00:00:00Z'), roles: ['worker', 'web'] },
];
const local = { name: 'local', listImages: async () => offered } as Partial<ComputeProvider> as ComputeProvider;
const providers = { names: () => ['local'], find: (name: string) => (name === 'local' ? local : undefined) };

function listFor(registered: ImageRecord[]) {
  const store = { images: { list: async () => registered } } as unknown as BrokerStore;
  return createListImages({ store, providers });
}

describe('one image catalog', () => {
  it('lists what the provider offers, one entry per role, the newest of each role active, with stable ids', async () => {
    const { images } = await listFor([])({ tenantId: 't1' });
    expect(images.map(({ imageId, role, active }) => ({ imageId, role, active }))).toEqual([
      { imageId: 'debian-local', role: 'worker', active: true },
      { imageId: 'debian-old', role: 'worker', active: false },
      { imageId: 'debian-old', role: 'web', active: true },
    ]);
    expect((await listFor([])({ tenantId: 't1' })).images.map((image) => image.id)).toEqual(images.map((i) => i.id));
    expect(new Set(images.map((image) => image.id)).size).toBe(3);
  });

  it('puts a registered active image first for its role, and lists a registered image once', async () => {
    const registered: ImageRecord = {
      id: '8d3e2f10-1b2c-4d5e-8f90-a1b2c3d4e5f6',
      tenantId: 't1',
      provider: 'local',
      imageId: 'debian-old',
      role: 'worker',
      name: 'pinned',
      active: true,
      state: 'available',
      createdAt: new Date('2026-12-01T00:00:00Z'),
    };
    const { images } = await listFor([registered])({ tenantId: 't1', active: true });
    expect(images.map(({ imageId, role, name }) => ({ imageId, role, name }))).toEqual([
      { imageId: 'debian-old', role: 'worker', name: 'pinned' },
    ]);
  });
});

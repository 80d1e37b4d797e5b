import type { ImageList, ListImagesRequest } from '@overcast/contracts';
import type { BrokerStore } from './ports';
import { presentImage } from './present';

export function createListImages(deps: { store: BrokerStore }) {
  return async function listImages(request: ListImagesRequest): Promise<ImageList> {
    const { active, role, provider } = request;
    const images = await deps.store.images.list(request.tenantId, { active, role, provider });
    return { images: images.map(presentImage) };
  };
}

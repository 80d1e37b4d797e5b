import type { ActivateImageRequest, Image } from '@overcast/contracts';
import { isUuid, notFound } from './not-found';
import type { BrokerStore } from './ports';
import { presentImage } from './present';

/** The one active image of its provider and role from now on; activating the active one changes nothing. */
export function createActivateImage(deps: { store: BrokerStore }) {
  return async function activateImage(request: ActivateImageRequest): Promise<Image> {
    const image = isUuid(request.id) ? await deps.store.images.findForTenant(request.tenantId, request.id) : null;
    if (!image) throw notFound('image');
    if (image.active) return presentImage(image);
    return presentImage(await deps.store.transaction((tx) => tx.images.activate(image)));
  };
}

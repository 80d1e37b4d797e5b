import { AppError } from '@overcast/contracts';
import type { ComputeProvider } from '@overcast/providers';
import type { BrokerStore } from './ports';

/**
 * The image a create or a build names must be in the catalog GET /images lists: an image the provider offers by
 * itself (its listImages: the operator's local catalog, the fake cloud's images), else one the tenant registered
 * for that provider (how a cloud's AMIs and GCE images enter the catalog). Otherwise the request is refused with
 * 422 naming the field, the image and the provider, before anything is written (it used to be accepted and the
 * instance errored later, at the provider). The provider's own list is asked first: it is in memory.
 */
export async function requireCatalogImage(
  store: BrokerStore,
  provider: ComputeProvider,
  request: { tenantId: string; image: string },
  path: string,
): Promise<void> {
  const offered = await provider.listImages?.();
  if (offered?.some((image) => image.id === request.image)) return;
  const registered = await store.images.findByProviderImage(request.tenantId, provider.name, request.image);
  if (registered?.state === 'available') return;
  const message = registered
    ? `image "${request.image}" of provider "${provider.name}" is unavailable`
    : `unknown image "${request.image}" for provider "${provider.name}" (GET /images lists the images it can boot)`;
  throw new AppError('unprocessable', message, { details: [{ path, message }] });
}

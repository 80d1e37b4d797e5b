import { randomUUID } from 'node:crypto';
import { AppError, type Image, type RegisterImageRequest } from '@overcast/contracts';
import type { BrokerStore } from './ports';
import { presentImage } from './present';
import { requireProvider, type ProviderDirectory } from './provider-directory';

function alreadyRegistered(request: RegisterImageRequest): AppError {
  return new AppError('conflict', `image ${request.imageId} is already registered for ${request.provider}`);
}

/** Adds an image to the tenant's catalog; with `active` it also becomes its role's active image. */
export function createRegisterImage(deps: { store: BrokerStore; providers: ProviderDirectory }) {
  return async function registerImage(request: RegisterImageRequest): Promise<Image> {
    requireProvider(deps.providers, request.provider);
    if (await deps.store.images.findByProviderImage(request.tenantId, request.provider, request.imageId)) {
      throw alreadyRegistered(request);
    }
    try {
      const image = await deps.store.transaction(async (tx) => {
        const inserted = await tx.images.insert({
          id: randomUUID(),
          tenantId: request.tenantId,
          provider: request.provider,
          imageId: request.imageId,
          role: request.role,
          name: request.name ?? request.imageId,
          active: false,
          state: 'available',
        });
        return request.active ? tx.images.activate(inserted) : inserted;
      });
      return presentImage(image);
    } catch (error) {
      // Two registrations racing: the loser's insert hits the unique index.
      if (await deps.store.images.findByProviderImage(request.tenantId, request.provider, request.imageId)) {
        throw alreadyRegistered(request);
      }
      throw error;
    }
  };
}

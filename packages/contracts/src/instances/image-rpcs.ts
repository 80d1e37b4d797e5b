import { z } from 'zod';
import { defineRpc } from '../catalog';
import { TenantScope } from '../platform';
import { Image } from './image';
import { INSTANCE_BROKER_SERVICE, PlacementLabel, ProviderName } from './instance';

export const ListImagesRequest = TenantScope.extend({
  active: z.boolean().optional(),
  role: z.string().min(1).optional(),
  provider: z.string().min(1).optional(),
});
export type ListImagesRequest = z.infer<typeof ListImagesRequest>;

export const ImageList = z.object({ images: z.array(Image) });
export type ImageList = z.infer<typeof ImageList>;

export const listImagesRpc = defineRpc({
  type: 'image.list',
  service: INSTANCE_BROKER_SERVICE,
  request: ListImagesRequest,
  response: ImageList,
});

export const RegisterImageRequest = TenantScope.extend({
  provider: ProviderName,
  imageId: z.string().min(1).max(255),
  role: PlacementLabel.min(1),
  name: z.string().min(1).max(255).optional(),
  /** Register and activate in one step (deactivates the role's previous active image). */
  active: z.boolean().optional(),
});
export type RegisterImageRequest = z.infer<typeof RegisterImageRequest>;

/** `conflict` when (provider, imageId) is already in the tenant's catalog. */
export const registerImageRpc = defineRpc({
  type: 'image.register',
  service: INSTANCE_BROKER_SERVICE,
  request: RegisterImageRequest,
  response: Image,
});

export const ActivateImageRequest = TenantScope.extend({ id: z.string().min(1).max(200) });
export type ActivateImageRequest = z.infer<typeof ActivateImageRequest>;

/** Makes the image the one active image of its (provider, role); idempotent. */
export const activateImageRpc = defineRpc({
  type: 'image.activate',
  service: INSTANCE_BROKER_SERVICE,
  request: ActivateImageRequest,
  response: Image,
});

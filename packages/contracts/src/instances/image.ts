import { z } from 'zod';
import { ProviderName, Timestamp } from './instance';

export const ImageState = z.enum(['available', 'unavailable']);
export type ImageState = z.infer<typeof ImageState>;

/** A boot image in the operator's catalog (pudding's images, marked active per role). */
export const Image = z.object({
  id: z.uuid(),
  provider: ProviderName,
  /** Provider image reference passed to the provider (AMI id, GCE image, local catalog name). */
  imageId: z.string(),
  role: z.string(),
  /** Defaults to `imageId` when registered without a name. */
  name: z.string(),
  /** At most one active image per (provider, role); instance builds boot the active one. */
  active: z.boolean(),
  /** Whether instances can boot from it (`unavailable` once the provider no longer has it). */
  state: ImageState,
  createdAt: Timestamp,
});
export type Image = z.infer<typeof Image>;

import { z } from 'zod';
import { ProviderName, Timestamp } from './instance';

/** A boot image in the operator's catalog (pudding's images, marked active per role). */
export const Image = z.object({
  id: z.uuid(),
  provider: ProviderName,
  /** Provider image reference passed to the provider (AMI id, GCE image, local catalog name). */
  imageId: z.string(),
  role: z.string(),
  name: z.string().nullable(),
  /** At most one active image per (provider, role); instance builds boot the active one. */
  active: z.boolean(),
  createdAt: Timestamp,
});
export type Image = z.infer<typeof Image>;

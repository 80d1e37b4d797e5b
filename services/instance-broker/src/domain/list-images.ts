import { createHash } from 'node:crypto';
import type { Image, ImageList, ListImagesRequest } from '@overcast/contracts';
import type { ProviderCatalogImage } from '@overcast/providers';
import type { BrokerStore } from './ports';
import { presentImage } from './present';
import type { ProviderDirectory } from './provider-directory';

/** A stable uuid (version 8, RFC 9562) for an image a provider offers: the same entry every time it is listed. */
function catalogIdOf(provider: string, imageId: string, role: string): string {
  const hex = createHash('sha256').update(`${provider}\n${imageId}\n${role}`).digest('hex');
  const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The newest of a role wins, as the provider's findNewestImage picks it (then the greatest name). */
function newestFirst(a: ProviderCatalogImage, b: ProviderCatalogImage): number {
  return b.createdAt.getTime() - a.createdAt.getTime() || b.id.localeCompare(a.id);
}

/**
 * One catalog: the images the tenant registered, then every image an enabled provider offers by itself (the
 * operator's local catalog) that the tenant has not registered, one entry per role it serves. Such an image is
 * `active` when a build of its provider and role would boot it: the newest of its role, and the tenant has no
 * registered active image for that provider and role (which a build boots first).
 */
export function createListImages(deps: { store: BrokerStore; providers: ProviderDirectory }) {
  async function offeredImages(registered: Image[]): Promise<Image[]> {
    const entries: Image[] = [];
    for (const providerName of deps.providers.names()) {
      const offered = await deps.providers.find(providerName)?.listImages?.();
      if (!offered) continue;
      const own = registered.filter((image) => image.provider === providerName);
      const known = new Set(own.map((image) => image.imageId));
      const rolesWithActive = new Set(own.filter((image) => image.active).map((image) => image.role));
      const sorted = [...offered].sort(newestFirst);
      for (const image of sorted) {
        if (known.has(image.id)) continue;
        for (const role of image.roles.length > 0 ? image.roles : ['']) {
          const newestOfRole = sorted.find((other) => other.roles.includes(role));
          entries.push({
            id: catalogIdOf(providerName, image.id, role),
            provider: providerName,
            imageId: image.id,
            role,
            name: image.name,
            active: role !== '' && !rolesWithActive.has(role) && newestOfRole?.id === image.id,
            state: 'available',
            createdAt: image.createdAt.toISOString(),
          });
        }
      }
    }
    return entries;
  }

  return async function listImages(request: ListImagesRequest): Promise<ImageList> {
    const { active, role, provider } = request;
    const registered = (await deps.store.images.list(request.tenantId, { provider })).map(presentImage);
    const all = [...registered, ...(await offeredImages(registered))];
    const images = all.filter(
      (image) =>
        (active === undefined || image.active === active) &&
        (role === undefined || image.role === role) &&
        (provider === undefined || image.provider === provider),
    );
    return { images };
  };
}

import type { protos } from '@google-cloud/compute';
import type { ProviderImage } from '../core/compute';
import { ProviderError } from '../core/compute';
import type { ResolvedGceConfig } from './config';
import type { GceClients } from './gce-clients';
import { callGce, isGceNotFound, toProviderError } from './gce-errors';

type Image = protos.google.cloud.compute.v1.IImage;

const imageName = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
const retiredStates = new Set(['DEPRECATED', 'OBSOLETE', 'DELETED']);

function isUsable(image: Image): boolean {
  return (
    Boolean(image.name) && (image.status ?? 'READY') === 'READY' && !retiredStates.has(image.deprecated?.state ?? '')
  );
}

function byNewest(a: Image, b: Image): number {
  return (
    (b.creationTimestamp ?? '').localeCompare(a.creationTimestamp ?? '') || (b.name ?? '').localeCompare(a.name ?? '')
  );
}

function toProviderImage(config: ResolvedGceConfig, image: Image): ProviderImage {
  return {
    id: `projects/${config.imageProjectId}/global/images/${image.name}`,
    name: image.name ?? '',
    createdAt: image.creationTimestamp ? new Date(image.creationTimestamp) : new Date(0),
  };
}

/** cloud-brain's resolution: the newest usable image whose name starts with the prefix. */
async function newestImageByPrefix(
  clients: GceClients,
  config: ResolvedGceConfig,
  prefix: string,
): Promise<Image | undefined> {
  const images: Image[] = [];
  let pageToken: string | undefined;
  do {
    const [page, nextRequest] = await callGce('images.list', () =>
      clients.images.list(
        {
          project: config.imageProjectId,
          // The `eq` form takes an RE2 expression that must match the whole name.
          filter: `name eq '${prefix}.*'`,
          ...(pageToken === undefined ? {} : { pageToken }),
        },
        { autoPaginate: false },
      ),
    );
    images.push(...page);
    pageToken = nextRequest?.pageToken ?? undefined;
  } while (pageToken);
  return images.filter(isUsable).sort(byNewest)[0];
}

/**
 * Newest image for a role: the image family named like the role (GCE's own "newest of a line"),
 * else the newest image whose name starts with the role.
 */
export async function findNewestImage(
  clients: GceClients,
  config: ResolvedGceConfig,
  role: string,
): Promise<ProviderImage | null> {
  if (!imageName.test(role)) return null;
  try {
    const [image] = await clients.images.getFromFamily({ project: config.imageProjectId, family: role });
    if (isUsable(image)) return toProviderImage(config, image);
  } catch (error) {
    if (!isGceNotFound(error)) throw toProviderError(error, 'images.getFromFamily');
  }
  const newest = await newestImageByPrefix(clients, config, role);
  return newest ? toProviderImage(config, newest) : null;
}

/**
 * The `sourceImage` for an insert. A resource path (`projects/p/global/images/x`, `.../family/f`) is
 * passed through; a bare name is a prefix resolved to the newest matching image, as cloud-brain did.
 */
export async function resolveSourceImage(
  clients: GceClients,
  config: ResolvedGceConfig,
  image: string,
): Promise<string> {
  if (image.includes('/')) return image;
  if (!imageName.test(image)) {
    throw new ProviderError(`image "${image}" is neither a GCE image name nor a resource path`, {
      retryable: false,
      code: 'INVALID_IMAGE',
    });
  }
  const newest = await newestImageByPrefix(clients, config, image);
  if (!newest) {
    throw new ProviderError(`no usable image named "${image}*" in project ${config.imageProjectId}`, {
      retryable: false,
      code: 'IMAGE_NOT_FOUND',
    });
  }
  return toProviderImage(config, newest).id;
}

import { AppError } from '@overcast/contracts';
import type { DomainContext } from './context';

/** The images a provider's tasks can run, or null when it takes any name (aws pulls it, the fake runs anything). */
function runnableImagesOf(context: DomainContext, provider: string): string[] | null {
  if (!context.platforms.has(provider)) return null;
  return context.platforms.get(provider).runnableImages?.() ?? null;
}

/** Whether some platform of this process could refuse the image; if none can, the district need not be read. */
export function someCatalogLacks(context: DomainContext, imageName: string | null): boolean {
  return context.platforms
    .names()
    .some((provider) => runnableImagesOf(context, provider)?.includes(imageName ?? '') === false);
}

/**
 * An app on a district whose platform runs only its operator's catalog (local) must name one of the catalog's
 * runnable images: otherwise it is refused with 422 naming `image_name` (or `field`: a rollback's `path.version`,
 * whose release names an image the catalog has since lost), before anything is written, as the instance broker
 * refuses an image its catalog lacks (it used to be accepted and its deploy failed at the task definition). aws and
 * fake districts take any image name.
 */
export function requireRunnableImage(
  context: DomainContext,
  provider: string,
  imageName: string | null,
  field = 'body.image_name',
): void {
  const runnable = runnableImagesOf(context, provider);
  if (!runnable || (imageName !== null && runnable.includes(imageName))) return;
  const known = `the ${provider} catalog's runnable images: ${runnable.join(', ')}`;
  const message =
    imageName === null
      ? `an app on a ${provider} district needs an image_name (${known})`
      : `unknown image "${imageName}" for provider "${provider}" (${known})`;
  throw new AppError('unprocessable', message, { details: [{ path: field, message }] });
}

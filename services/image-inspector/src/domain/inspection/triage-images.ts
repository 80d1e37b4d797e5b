import { inspectDiskImage } from '@overcast/disk-inspector';
import type { Clock } from '../ports';
import { outcomeOf } from './inspection-outcome';
import type { ImageSource, InspectionStore, LocalCatalogDisks, UntriagedImage } from './inspection-ports';

/** What the image is left in, and why. */
export type TriageState = { status: 'pending' | 'needs_upload'; reason: string };

export type TriageVerdict =
  | TriageState
  /** A local catalog image whose disk image or rootfs tar the catalog names: read it now. */
  | { status: 'inspect'; disk: string };

/** What the triage knows besides the image: whether the AWS job runs, and the disks the local catalog names. */
export interface TriageContext {
  awsInspection: boolean;
  /** Local catalog image name → its disk image or rootfs tar; null when the catalog could not be read. */
  localDisks: ReadonlyMap<string, string> | null;
}

const needsUpload = (id: number, why: string): TriageState => ({
  status: 'needs_upload',
  reason: `${why}: upload a disk image or rootfs tar to POST /api/v1/image/${id}/inspection to inspect it`,
});

/** Why no job reads an image that instances of this account ran. */
function whyUnreadable(source: ImageSource, cloudImageId: string): string {
  if (source.accountType === 'aws') return 'this image inspector reads no AWS snapshots (AWS is not configured)';
  if (source.accountType === 'local') return "a local account's images are known from its activity logs only";
  switch (source.provider) {
    case 'local':
      return `the local catalog names no disk image or rootfs tar for "${cloudImageId}" (its "disk")`;
    case 'fake':
      return "the fake provider's images have no disk to read";
    case 'gce':
      return 'GCE images are not read: the image inspector has no access to their disks';
    case 'aws':
      return 'an AMI Overcast booted is read only when an instance of a registered AWS account runs it';
    default:
      return `images of the "${source.provider ?? 'unknown'}" provider are not read`;
  }
}

/**
 * What a user is told of an image the moment it is seen, by the accounts whose instances ran it: an image an
 * instance of a registered AWS account ran stays `pending` for the AWS inspection job (its root snapshot read through
 * the EBS direct APIs), where that job runs; a local catalog image whose catalog entry names a `disk` is read from it
 * at once; any other image `needs_upload`, with the reason no job can read it, and is inspected when a disk image or
 * rootfs tar is uploaded for it (or, later, once a registered AWS account runs it). null: undecided (a local
 * catalog image while the catalog cannot be read).
 */
export function triageVerdict(
  image: Pick<UntriagedImage, 'id' | 'cloudImageId' | 'sources'>,
  context: TriageContext,
): TriageVerdict | null {
  const { sources } = image;
  if (context.awsInspection && sources.some((source) => source.accountType === 'aws' && source.hasRole)) {
    return { status: 'pending', reason: 'waiting for the AWS inspection job to read its root snapshot' };
  }
  if (sources.some((source) => source.accountType === 'overcast' && source.provider === 'local')) {
    // Undecided while the catalog cannot be read: the next pass looks again.
    if (!context.localDisks) return null;
    const disk = context.localDisks.get(image.cloudImageId);
    if (disk) return { status: 'inspect', disk };
  }
  // The same image from several accounts: one reason, the same whichever order the database answered in.
  const reasons = [...new Set(sources.map((source) => whyUnreadable(source, image.cloudImageId)))].sort();
  return needsUpload(image.id, reasons[0] ?? 'no tracked instance ran it');
}

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * One pass of the image triage: each pending image not looked at yet gets its verdict (triageVerdict), so that no
 * image stays silently `pending` forever; a local catalog image with a disk is inspected in the pass. An image keeps
 * its verdict until what decided it changes, and is then triaged again: one that needs an upload when the local
 * catalog names a disk for it (the catalog, or a disk file it names, changed since the last pass of this process, or
 * this process has not read it yet), one a previous process left for the AWS job where this one runs no such job.
 * (One a registered AWS account's instance ran is read by the AWS job, whatever its verdict.) Answers how many
 * images it triaged.
 */
export function createTriageImages(deps: {
  store: InspectionStore;
  clock: Clock;
  awsInspection: boolean;
  localDisks: () => Promise<LocalCatalogDisks>;
  batchSize: number;
  /** The catalog could not be read: its images wait, the others are triaged. */
  onCatalogError: (error: unknown) => void;
}) {
  const { store, clock } = deps;
  // The catalog's version the last pass triaged against: none yet, so the first pass looks at its images again.
  let triagedCatalog: string | null = null;
  // Whether the AWS job runs is this process's setting: its first pass hands back what a previous one left for it.
  let firstPass = true;

  async function apply(image: UntriagedImage, verdict: TriageVerdict): Promise<void> {
    if (verdict.status !== 'inspect') {
      await store.recordTriage(image.tenantId, image.id, verdict);
      return;
    }
    try {
      // The catalog's image: a disk of the operator's, with no cloud metadata (no platform, tags or encryption).
      const result = await inspectDiskImage(
        { kind: 'file', path: verdict.disk },
        { platform: 'none', encrypted: false, tags: {} },
      );
      await store.recordInspection(image.tenantId, image.id, outcomeOf(result, 'catalog', clock.now()));
    } catch (error) {
      await store.recordTriage(
        image.tenantId,
        image.id,
        needsUpload(image.id, `the local catalog's disk ${verdict.disk} could not be read (${reasonOf(error)})`),
      );
    }
  }

  /** Answers how many images it looked at (an undecided one included). */
  return async function triageImages(signal?: AbortSignal): Promise<number> {
    const catalog = await deps.localDisks().catch((error: unknown) => {
      deps.onCatalogError(error);
      return null;
    });
    const catalogChanged = catalog !== null && catalog.version !== triagedCatalog;
    await store.reopenTriage({
      catalogImages: catalogChanged ? [...catalog.disks.keys()] : [],
      awaitingAws: firstPass && !deps.awsInspection,
    });
    if (catalog) triagedCatalog = catalog.version;
    firstPass = false;
    const context = { awsInspection: deps.awsInspection, localDisks: catalog?.disks ?? null };
    const seen = new Set<number>();
    for (;;) {
      const images = (await store.findUntriagedImages(deps.batchSize)).filter((image) => !seen.has(image.id));
      for (const image of images) {
        if (signal?.aborted) return seen.size;
        seen.add(image.id);
        const verdict = triageVerdict(image, context);
        if (verdict) await apply(image, verdict);
      }
      // Nothing new: the rest (if any) were changed by someone else meanwhile, or could not be recorded.
      if (images.length === 0) return seen.size;
    }
  };
}

import type { ImageSource, InspectionStore, UntriagedImage } from './inspection-ports';

export type TriageVerdict = { status: 'pending' | 'needs_upload'; reason: string };

const needsUpload = (id: number, why: string): TriageVerdict => ({
  status: 'needs_upload',
  reason: `${why}: upload a disk image or rootfs tar to POST /api/v1/image/${id}/inspection to inspect it`,
});

/** Why no job reads an image that instances of this account ran. */
function whyUnreadable(source: ImageSource): string {
  if (source.accountType === 'aws') return 'this image inspector reads no AWS snapshots (AWS is not configured)';
  if (source.accountType === 'local') return "a local account's images are known from its activity logs only";
  switch (source.provider) {
    case 'local':
      return 'a local catalog image runs as processes of the host, with no disk image or root filesystem to read';
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
 * the EBS direct APIs), where that job runs; any other image `needs_upload`, with the reason no job can read it, and
 * is inspected when a disk image or rootfs tar is uploaded for it (or, later, once a registered AWS account runs it).
 */
export function triageVerdict(image: Pick<UntriagedImage, 'id' | 'sources'>, awsInspection: boolean): TriageVerdict {
  if (awsInspection && image.sources.some((source) => source.accountType === 'aws' && source.hasRole)) {
    return { status: 'pending', reason: 'waiting for the AWS inspection job to read its root snapshot' };
  }
  // The same image from several accounts: one reason, the same whichever order the database answered in.
  const reasons = [...new Set(image.sources.map(whyUnreadable))].sort();
  return needsUpload(image.id, reasons[0] ?? 'no tracked instance ran it');
}

/**
 * One pass of the image triage: each pending image not looked at yet gets its verdict (triageVerdict), so that no
 * image stays silently `pending` forever. Answers how many images it triaged.
 */
export function createTriageImages(deps: { store: InspectionStore; awsInspection: boolean; batchSize: number }) {
  return async function triageImages(signal?: AbortSignal): Promise<number> {
    let triaged = 0;
    for (;;) {
      if (signal?.aborted) return triaged;
      const images = await deps.store.findUntriagedImages(deps.batchSize);
      for (const image of images) {
        await deps.store.recordTriage(image.tenantId, image.id, triageVerdict(image, deps.awsInspection));
      }
      triaged += images.length;
      if (images.length < deps.batchSize) return triaged;
    }
  };
}

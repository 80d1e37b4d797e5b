import { openShiftTag, type ImageMetadata, type InspectionResult } from '@overcast/disk-inspector';
import type { ImageInspection } from '@overcast/contracts';
import type { ImageToInspect, InspectionOutcome } from './inspection-ports';

/** What the cloud says of the image, as the disk inspector takes it: some verdicts need no reading. */
export function metadataOf(image: ImageToInspect): ImageMetadata {
  return {
    platform: image.platform,
    encrypted: image.isEncrypted,
    tags: image.openshiftDetected ? { [openShiftTag]: '' } : {},
  };
}

/**
 * The disk inspector's result as the image keeps it: the RHEL checks' columns, and the result whole as provenance.
 * The encryption and OpenShift verdicts come from the metadata it was given, not from the disk: not written back.
 */
export function outcomeOf(
  result: InspectionResult,
  source: ImageInspection['source'],
  inspectedAt: Date,
): InspectionOutcome {
  const { checks } = result.rhel;
  return {
    status: result.status,
    rhelReleaseFilesFound: checks.releaseFiles.found,
    rhelProductCertsFound: checks.productCertificates.found,
    rhelEnabledReposFound: checks.enabledRepos.found,
    rhelSignedPackagesFound: checks.signedPackages.found,
    inspection: { ...result, source, inspectedAt: inspectedAt.toISOString() },
  };
}

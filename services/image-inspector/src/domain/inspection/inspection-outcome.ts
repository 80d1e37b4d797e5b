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

/** The disk inspector's result as the image keeps it: cloudigrade's columns, and the result whole as provenance. */
export function outcomeOf(
  result: InspectionResult,
  source: ImageInspection['source'],
  inspectedAt: Date,
): InspectionOutcome {
  const { checks } = result.rhel;
  return {
    status: result.status,
    isEncrypted: result.isEncrypted,
    rhelReleaseFilesFound: checks.releaseFiles.found,
    rhelProductCertsFound: checks.productCertificates.found,
    rhelEnabledReposFound: checks.enabledRepos.found,
    rhelSignedPackagesFound: checks.signedPackages.found,
    openshiftDetected: result.openshift.detected,
    inspection: { ...result, source, inspectedAt: inspectedAt.toISOString() },
  };
}

import type { ImageInspection } from '@overcast/contracts';
import type { components } from '../generated/openapi';

type Schemas = components['schemas'];
type Check = ImageInspection['openshift']['checks']['tag'];

const checkToWire = (check: Check): Schemas['InspectionCheck'] => ({
  found: check.found,
  evidence: check.evidence.map(({ partition, path, detail }) => ({
    partition,
    ...(path === undefined ? {} : { path }),
    detail,
  })),
});

/** An inspection's provenance in the API's snake_case: each check's verdict and where it was found. */
export function imageInspectionToWire(inspection: ImageInspection): Schemas['ImageInspection'] {
  const { checks } = inspection.rhel;
  return {
    source: inspection.source,
    inspected_at: inspection.inspectedAt,
    ...(inspection.skipped === undefined ? {} : { skipped: inspection.skipped }),
    rhel: {
      detected: inspection.rhel.detected,
      version: inspection.rhel.version,
      checks: {
        release_files: checkToWire(checks.releaseFiles),
        product_certificates: checkToWire(checks.productCertificates),
        enabled_repos: checkToWire(checks.enabledRepos),
        signed_packages: checkToWire(checks.signedPackages),
      },
    },
    openshift: {
      detected: inspection.openshift.detected,
      checks: { tag: checkToWire(inspection.openshift.checks.tag) },
    },
    errors: inspection.errors,
  };
}

import type { InspectionResult } from '../../src';

/** What every RHEL 9 image built from prepareRootfs('rhel9') must report, with its evidence on `partition`. */
export function expectRhel9(result: InspectionResult, partition: string): void {
  expect(result.status).toBe('inspected');
  expect(result.rhel.detected).toBe(true);
  expect(result.rhel.version).toBe('9.4');
  expect(result.rhel.syspurpose).toEqual({
    role: 'Red Hat Enterprise Linux Server',
    service_level_agreement: 'Premium',
    usage: 'Production',
  });
  const { releaseFiles, productCertificates, enabledRepos, signedPackages } = result.rhel.checks;
  expect(releaseFiles.found).toBe(true);
  expect(releaseFiles.evidence.map((evidence) => evidence.path)).toEqual([
    '/etc/os-release',
    '/etc/redhat-release',
    '/etc/system-release',
  ]);
  expect(releaseFiles.evidence[1]).toEqual({
    partition,
    path: '/etc/redhat-release',
    detail: 'Red Hat Enterprise Linux release 9.4 (Plow)',
  });
  expect(productCertificates).toEqual({
    found: true,
    evidence: [{ partition, path: '/etc/pki/product-default/479.pem', detail: 'product certificate 479' }],
  });
  expect(enabledRepos).toEqual({
    found: true,
    evidence: [
      {
        partition,
        path: '/etc/yum.repos.d/redhat.repo',
        detail: '[rhel-9-for-x86_64-baseos-rpms] Red Hat Enterprise Linux 9 for x86_64 - BaseOS (RPMs)',
      },
    ],
  });
  expect(signedPackages.found).toBe(true);
  expect(signedPackages.evidence).toEqual([
    {
      partition,
      path: '/var/lib/rpm/rpmdb.sqlite',
      detail: '2 of 4 packages signed by Red Hat key 199e2f91fd431d51, 5326810137017186 (bash, kernel)',
    },
  ]);
  expect(result.operatingSystems).toEqual([
    { partition, id: 'rhel', name: 'Red Hat Enterprise Linux', versionId: '9.4' },
  ]);
  expect(result.openshift.detected).toBe(false);
}

export function expectNoRhel(result: InspectionResult): void {
  expect(result.status).toBe('inspected');
  expect(result.rhel.detected).toBe(false);
  expect(result.rhel.version).toBeNull();
  expect(result.rhel.syspurpose).toBeNull();
  for (const check of Object.values(result.rhel.checks)) expect(check).toEqual({ found: false, evidence: [] });
}

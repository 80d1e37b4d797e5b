/** Where a check's finding came from: the partition, the file and what in it counted. */
export interface Evidence {
  partition: string;
  path?: string;
  detail: string;
}

export interface CheckResult {
  found: boolean;
  /** Every item that made the check positive; empty when it found nothing. */
  evidence: Evidence[];
}

/** houndigrade's four RHEL checks. */
export interface RhelChecks {
  releaseFiles: CheckResult;
  productCertificates: CheckResult;
  enabledRepos: CheckResult;
  signedPackages: CheckResult;
}

export interface OperatingSystem {
  partition: string;
  /** os-release's ID, NAME and VERSION_ID, as written. */
  id: string | undefined;
  name: string | undefined;
  versionId: string | undefined;
}

export interface PartitionReport {
  /** p1, p2 … ("disk" without a table); a logical volume is "<partition>/<volume group>/<volume>". */
  name: string;
  /** Where the partition starts on the disk (for a logical volume, its physical volume's partition). */
  offset: number;
  size: number;
  filesystem: 'ext4' | 'xfs' | 'tar' | 'unknown';
  rhelFound: boolean;
  signedPackageCount: number;
  rpmDatabase?: string;
  /** Why this partition (or one of its checks) could not be read; the other partitions are still inspected. */
  errors: string[];
}

export interface InspectionResult {
  /** inspected: the image was read (or needs no reading); error: nothing in it could be read as a filesystem. */
  status: 'inspected' | 'error';
  /** Set when the image was not read, and why (the verdicts then stand on metadata alone). */
  skipped?: 'windows' | 'encrypted';
  isEncrypted: boolean;
  rhel: {
    detected: boolean;
    /** os-release's VERSION_ID, taken only from a partition whose release files say RHEL (as houndigrade does). */
    version: string | null;
    /** /etc/rhsm/syspurpose/syspurpose.json (≤ 1 KiB) from a partition where RHEL was found (houndigrade's HEAD). */
    syspurpose: Record<string, unknown> | null;
    checks: RhelChecks;
  };
  openshift: { detected: boolean; checks: { tag: CheckResult } };
  operatingSystems: OperatingSystem[];
  partitions: PartitionReport[];
  errors: string[];
}

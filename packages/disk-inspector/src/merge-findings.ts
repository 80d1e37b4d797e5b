import type { TreeFindings } from './inspect-file-tree';
import type { CheckResult, InspectionResult, OperatingSystem, PartitionReport, RhelChecks } from './inspection-result';

export interface PartitionOutcome {
  report: PartitionReport;
  findings?: TreeFindings;
}

const checkNames = ['releaseFiles', 'productCertificates', 'enabledRepos', 'signedPackages'] as const;

/** One image's RHEL verdict over all its partitions: a check is positive when any partition's is (houndigrade). */
export function mergeFindings(
  outcomes: PartitionOutcome[],
): Pick<InspectionResult, 'rhel' | 'operatingSystems' | 'partitions'> {
  const checks = Object.fromEntries(
    checkNames.map((name) => [name, { found: false, evidence: [] } satisfies CheckResult]),
  ) as unknown as RhelChecks;
  let version: string | null = null;
  let syspurpose: Record<string, unknown> | null = null;
  const operatingSystems: OperatingSystem[] = [];
  for (const { report, findings } of outcomes) {
    if (!findings) continue;
    for (const name of checkNames) {
      checks[name].evidence.push(...findings.checks[name].evidence);
      checks[name].found ||= findings.checks[name].found;
    }
    const release = findings.osRelease;
    if (release) operatingSystems.push({ partition: report.name, ...release });
    // Only a partition whose release files say RHEL gives the version, so another OS's VERSION_ID is never taken.
    if (findings.checks.releaseFiles.found && release?.versionId) version = release.versionId;
    const rhelHere = checkNames.some((name) => findings.checks[name].found);
    if (rhelHere && findings.syspurpose) syspurpose = findings.syspurpose;
  }
  const detected = checkNames.some((name) => checks[name].found);
  return {
    rhel: { detected, version, syspurpose, checks },
    operatingSystems,
    partitions: outcomes.map(({ report }) => report),
  };
}

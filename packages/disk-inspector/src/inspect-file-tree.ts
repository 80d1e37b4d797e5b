import { checkEnabledRepos } from './checks/check-enabled-repos';
import { checkProductCertificates } from './checks/check-product-certificates';
import { checkReleaseFiles } from './checks/check-release-files';
import { checkSignedPackages } from './checks/check-signed-packages';
import { readOsRelease, type OsRelease } from './checks/read-os-release';
import { readSyspurpose } from './checks/read-syspurpose';
import type { FileTree } from './filesystems/file-tree';
import type { CheckResult, RhelChecks } from './inspection-result';
import { readRpmDatabase, type RpmDatabase } from './rpm/read-rpm-database';

export interface TreeFindings {
  checks: RhelChecks;
  signedPackageCount: number;
  rpmDatabase: string | undefined;
  osRelease: OsRelease | undefined;
  syspurpose: Record<string, unknown> | undefined;
  errors: string[];
}

const notFound: CheckResult = { found: false, evidence: [] };

/** houndigrade's checks over one filesystem; a check that cannot read what it needs is reported, not fatal. */
export async function inspectFileTree(tree: FileTree, partition: string): Promise<TreeFindings> {
  const errors: string[] = [];
  const attempt = async <T>(what: string, run: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      errors.push(`${what}: ${(error as Error).message}`);
      return fallback;
    }
  };
  const releaseFiles = await attempt('release files', () => checkReleaseFiles(tree, partition, errors), notFound);
  const productCertificates = await attempt(
    'product certificates',
    () => checkProductCertificates(tree, partition),
    notFound,
  );
  const enabledRepos = await attempt('enabled repos', () => checkEnabledRepos(tree, partition), notFound);
  const database = await attempt<RpmDatabase | undefined>('rpm database', () => readRpmDatabase(tree), undefined);
  const { count, ...signedPackages } = checkSignedPackages(database, partition);
  const osRelease = await attempt('os-release', () => readOsRelease(tree), undefined);
  const syspurpose = await attempt('syspurpose', () => readSyspurpose(tree), undefined);
  return {
    checks: { releaseFiles, productCertificates, enabledRepos, signedPackages },
    signedPackageCount: count,
    rpmDatabase: database?.path,
    osRelease,
    syspurpose,
    errors,
  };
}

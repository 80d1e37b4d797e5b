import type { CheckResult } from '../inspection-result';
import type { RpmDatabase } from '../rpm/read-rpm-database';

/** Red Hat's package signing key ids (houndigrade's list; FACTS 4.7). */
export const redHatKeyIds = [
  '199e2f91fd431d51',
  '5326810137017186',
  '45689c882fa658e0',
  '219180cddb42a60e',
  '7514f77d8366b0d9',
] as const;

const namesShown = 5;

/** houndigrade: installed packages whose header is signed by one of Red Hat's keys. */
export function checkSignedPackages(
  database: RpmDatabase | undefined,
  partition: string,
): CheckResult & { count: number } {
  if (!database) return { found: false, evidence: [], count: 0 };
  const signed = database.packages.filter((pkg) =>
    pkg.keyIds.some((keyId) => (redHatKeyIds as readonly string[]).includes(keyId)),
  );
  if (signed.length === 0) return { found: false, evidence: [], count: 0 };
  const keyIds = [...new Set(signed.flatMap((pkg) => pkg.keyIds))]
    .filter((keyId) => (redHatKeyIds as readonly string[]).includes(keyId))
    .sort();
  // Sorted, so the same database reads the same whatever order its pages or rows come in.
  const names = signed
    .map((pkg) => pkg.name ?? '?')
    .sort()
    .slice(0, namesShown);
  const more = signed.length > namesShown ? ', …' : '';
  const detail = `${signed.length} of ${database.packages.length} packages signed by Red Hat key ${keyIds.join(', ')} (${names.join(', ')}${more})`;
  return { found: true, evidence: [{ partition, path: database.path, detail }], count: signed.length };
}

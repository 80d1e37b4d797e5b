import type { FileTree } from '../filesystems/file-tree';
import type { CheckResult, Evidence } from '../inspection-result';
import { readIniSections } from './read-ini';

const packageManagerConfigs = ['/etc/dnf/dnf.conf', '/etc/yum.conf'];
const defaultRepoDirectory = '/etc/yum.repos.d';
const rhelRepoNames = ['rhel', 'red hat'];
// houndigrade accepted only "1"; dnf and yum also read these as true.
const enabledValues = new Set(['1', 'true', 'yes', 'on']);

/**
 * houndigrade: a repo whose name contains "rhel" or "red hat" and that is enabled, in the *.repo files of
 * /etc/yum.repos.d and of every reposdir dnf.conf or yum.conf names, and in those two files themselves.
 */
export async function checkEnabledRepos(tree: FileTree, partition: string): Promise<CheckResult> {
  const files: string[] = [];
  const directories = new Set<string>();
  for (const config of packageManagerConfigs) {
    const file = await tree.readFile(config);
    if (!file) continue;
    files.push(config);
    const reposdir = readIniSections(file.bytes.toString('utf8')).get('main')?.get('reposdir');
    for (const directory of reposdir?.split(/[,\s]+/) ?? []) if (directory.startsWith('/')) directories.add(directory);
  }
  directories.add(defaultRepoDirectory);
  for (const directory of directories) {
    for (const name of await tree.list(directory)) if (name.endsWith('.repo')) files.push(`${directory}/${name}`);
  }

  const evidence: Evidence[] = [];
  const seen = new Set<string>();
  for (const path of files) {
    const file = await tree.readFile(path);
    if (!file) continue;
    for (const [repo, settings] of readIniSections(file.bytes.toString('utf8'))) {
      const name = settings.get('name') ?? '';
      const enabled = enabledValues.has((settings.get('enabled') ?? '').toLowerCase());
      if (!enabled || !rhelRepoNames.some((rhel) => name.toLowerCase().includes(rhel))) continue;
      if (seen.has(`${repo}\n${name}`)) continue;
      seen.add(`${repo}\n${name}`);
      evidence.push({ partition, path, detail: `[${repo}] ${name}` });
    }
  }
  return { found: evidence.length > 0, evidence };
}

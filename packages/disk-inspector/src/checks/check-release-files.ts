import type { FileTree } from '../filesystems/file-tree';
import type { CheckResult } from '../inspection-result';

/**
 * houndigrade: any /etc/*-release file (symlinks followed) whose text contains "Red Hat". A file that cannot be
 * read (a symlink loop) is reported in `errors` and the others are still read, as houndigrade went on past one.
 */
export async function checkReleaseFiles(tree: FileTree, partition: string, errors: string[]): Promise<CheckResult> {
  const names = (await tree.list('/etc')).filter((name) => name.endsWith('-release'));
  const evidence = [];
  for (const name of names) {
    const file = await tree.readFile(`/etc/${name}`).catch((error: unknown) => {
      errors.push(`release files: /etc/${name}: ${(error as Error).message}`);
      return undefined;
    });
    const text = file?.bytes.toString('utf8');
    if (text?.includes('Red Hat')) {
      const line = text.split('\n').find((candidate) => candidate.includes('Red Hat')) ?? '';
      evidence.push({ partition, path: `/etc/${name}`, detail: line.trim() });
    }
  }
  return { found: evidence.length > 0, evidence };
}

import type { FileTree } from '../filesystems/file-tree';

export interface OsRelease {
  id: string | undefined;
  name: string | undefined;
  versionId: string | undefined;
}

/** /etc/os-release (usually a symlink to /usr/lib/os-release): shell-style KEY=value lines, values maybe quoted. */
export async function readOsRelease(tree: FileTree): Promise<OsRelease | undefined> {
  const file = (await tree.readFile('/etc/os-release')) ?? (await tree.readFile('/usr/lib/os-release'));
  if (!file) return undefined;
  const values = new Map<string, string>();
  for (const line of file.bytes.toString('utf8').split('\n')) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (match?.[1] && match[2] !== undefined) values.set(match[1], match[2].replace(/^(["'])(.*)\1$/, '$2'));
  }
  const emptyAsMissing = (value: string | undefined): string | undefined => (value ? value : undefined);
  return {
    id: emptyAsMissing(values.get('ID')),
    name: emptyAsMissing(values.get('NAME')),
    versionId: emptyAsMissing(values.get('VERSION_ID')),
  };
}

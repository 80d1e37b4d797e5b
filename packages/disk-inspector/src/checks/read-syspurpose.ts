import type { FileTree } from '../filesystems/file-tree';

const path = '/etc/rhsm/syspurpose/syspurpose.json';
/** houndigrade's limit: a larger file is skipped, not read. */
const maxBytes = 1024;

/** The system purpose (role, SLA, usage…) subscription-manager wrote, when it is a small JSON object. */
export async function readSyspurpose(tree: FileTree): Promise<Record<string, unknown> | undefined> {
  const file = await tree.readFile(path, maxBytes);
  if (!file) return undefined;
  try {
    const parsed: unknown = JSON.parse(file.bytes.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined; // houndigrade too kept no purpose it could not parse
  }
}

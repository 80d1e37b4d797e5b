import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CreateInstanceInput } from '../core/compute';
import { ProviderError } from '../core/compute';

/** What the provider remembers about an instance, in `<dataDir>/instances/<id>/instance.json`. */
export interface LocalInstanceRecord {
  id: string;
  image: string;
  instanceType: CreateInstanceInput['instanceType'];
  tags: Record<string, string>;
  ipAddress: string;
  createdAt: string;
  /** Opens the instance's metadata (its image serves EC2's); absent for images without. */
  metadataToken?: string;
  /** null until the boot agent is spawned. */
  pid: number | null;
  terminatingSince?: string;
  exit?: { at: string; code: number | null; signal: string | null; reason: string };
}

/** Ids become directory names: only a safe alphabet, so no id can point outside the data dir. */
const safeId = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export function instancesRoot(dataDir: string): string {
  return join(dataDir, 'instances');
}

export function instanceDir(dataDir: string, id: string): string {
  if (!safeId.test(id)) {
    throw new ProviderError(`instance id "${id}" is not valid for the local provider (letters, digits, "_" and "-")`, {
      retryable: false,
      code: 'INVALID_ID',
    });
  }
  return join(instancesRoot(dataDir), id);
}

/** Write-then-rename, so a crash never leaves half a record behind. */
export function writeFileAtomic(file: string, content: string, mode = 0o600): void {
  writeFileSync(`${file}.tmp`, content, { mode });
  renameSync(`${file}.tmp`, file);
}

export function saveRecord(dataDir: string, record: LocalInstanceRecord): void {
  writeFileAtomic(join(instanceDir(dataDir, record.id), 'instance.json'), `${JSON.stringify(record, null, 2)}\n`);
}

/** Every record on disk; unreadable ones are skipped (and reported), never fatal. */
export function loadRecords(
  dataDir: string,
  onUnreadable: (dir: string, error: unknown) => void,
): LocalInstanceRecord[] {
  const root = instancesRoot(dataDir);
  mkdirSync(root, { recursive: true });
  const records: LocalInstanceRecord[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (!entry.isDirectory() || !safeId.test(entry.name)) continue;
    try {
      records.push(JSON.parse(readFileSync(join(root, entry.name, 'instance.json'), 'utf8')) as LocalInstanceRecord);
    } catch (error) {
      onUnreadable(join(root, entry.name), error);
    }
  }
  return records;
}

/** The boot agent's report: `running` once user data is resolved, `failed` before it powers off. */
export function readBootPhase(dir: string): 'running' | 'failed' | undefined {
  try {
    const status = JSON.parse(readFileSync(join(dir, 'boot-status.json'), 'utf8')) as { phase?: string };
    return status.phase === 'running' || status.phase === 'failed' ? status.phase : undefined;
  } catch {
    return undefined;
  }
}

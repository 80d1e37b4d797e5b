import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { FileTree } from './filesystems/file-tree';
import { readTarFileSystem } from './filesystems/tar/tar-file-system';
import { inspectFileTree } from './inspect-file-tree';
import type { CheckResult, InspectionResult, PartitionReport } from './inspection-result';
import { inspectionLimits } from './limits';
import { mergeFindings, type PartitionOutcome } from './merge-findings';
import { inspectDisk } from './inspect-disk';
import { openFileReader, type ByteReader } from './source/byte-reader';
import { withDeadline } from './source/deadline-reader';
import { gunzipIfCompressed, isGzip, isTarHeader, peek } from './source/detect-archive';
import { isQcow2, openQcow2Reader } from './source/qcow2-reader';
import { spoolToSparseFile } from './source/spool-to-sparse-file';

/**
 * What to inspect: a local file (raw or qcow2 disk, bare filesystem or rootfs tar, told apart by content), a tar
 * streamed in, an upload that may be either (a tar is read as it streams, a disk spooled to a sparse temporary file
 * and removed after), or a random-access reader, or a function opening one, whose failure is then reported in the
 * result: an EBS snapshot is `{ kind: 'reader', reader: () => openEbsSnapshotReader(client, snapshotId) }` with
 * the reader from '@overcast/disk-inspector/ebs', kept apart so that nothing else loads the AWS SDK.
 */
export type DiskImageSource =
  | { kind: 'file'; path: string }
  | { kind: 'tar'; stream: Readable }
  | { kind: 'upload'; stream: Readable; maxBytes?: number }
  | { kind: 'reader'; reader: ByteReader | (() => Promise<ByteReader>) };

/** What the cloud says about the image, which decides some verdicts without reading it. */
export interface ImageMetadata {
  platform?: string;
  encrypted?: boolean;
  tags?: Record<string, string>;
}

export interface InspectOptions {
  timeoutMs?: number;
}

export const openShiftTag = 'cloudigrade-ocp-present';

/** Reads an image without mounting or booting it and reports RHEL and OpenShift with the evidence for each. */
export async function inspectDiskImage(
  source: DiskImageSource,
  metadata: ImageMetadata = {},
  options: InspectOptions = {},
): Promise<InspectionResult> {
  const openshift = checkOpenShiftTag(metadata);
  const base = { isEncrypted: metadata.encrypted === true, openshift, errors: [] as string[] };
  if (metadata.platform?.toLowerCase() === 'windows') return { ...notRead(base), skipped: 'windows' };
  if (metadata.encrypted) return { ...notRead(base), skipped: 'encrypted' };

  const deadline = Date.now() + (options.timeoutMs ?? inspectionLimits.inspectionMilliseconds);
  let outcomes: PartitionOutcome[];
  try {
    outcomes = await readSource(source, deadline);
  } catch (error) {
    return { ...notRead(base), status: 'error', errors: [(error as Error).message] };
  }
  const merged = mergeFindings(outcomes);
  const readable = outcomes.some((outcome) => outcome.findings);
  const errors = outcomes.flatMap(({ report }) => report.errors.map((message) => `${report.name}: ${message}`));
  if (!readable) errors.push('no partition holds a filesystem the inspector reads (ext2/3/4, XFS)');
  return { ...base, status: readable ? 'inspected' : 'error', ...merged, errors };
}

function checkOpenShiftTag(metadata: ImageMetadata): { detected: boolean; checks: { tag: CheckResult } } {
  const tagged = Object.hasOwn(metadata.tags ?? {}, openShiftTag);
  const evidence = tagged ? [{ partition: 'metadata', detail: `image tag ${openShiftTag}` }] : [];
  return { detected: tagged, checks: { tag: { found: tagged, evidence } } };
}

function notRead(base: Pick<InspectionResult, 'isEncrypted' | 'openshift' | 'errors'>): InspectionResult {
  return { ...base, status: 'inspected', ...mergeFindings([]) };
}

async function readSource(source: DiskImageSource, deadline: number): Promise<PartitionOutcome[]> {
  if (source.kind === 'tar') return [await inspectTar(await gunzipIfCompressed(source.stream), deadline)];
  if (source.kind === 'reader') {
    const reader = typeof source.reader === 'function' ? await source.reader() : source.reader;
    return inspectDisk(withDeadline(reader, deadline));
  }
  if (source.kind === 'upload') return inspectUpload(source.stream, source.maxBytes, deadline);
  const head = await readHead(source.path, 512);
  if (isGzip(head)) return [await inspectTar(await gunzipIfCompressed(createReadStream(source.path)), deadline)];
  if (isTarHeader(head)) return [await inspectTar(createReadStream(source.path), deadline)];
  return inspectDiskFile(source.path, deadline);
}

async function inspectUpload(
  upload: Readable,
  maxBytes: number | undefined,
  deadline: number,
): Promise<PartitionOutcome[]> {
  const { head, stream } = await peek(await gunzipIfCompressed(upload), 512);
  if (isTarHeader(head)) return [await inspectTar(stream, deadline)];
  const spooled = await spoolToSparseFile(stream, maxBytes ?? inspectionLimits.uploadBytes, deadline);
  try {
    return await inspectDiskFile(spooled.path, deadline);
  } finally {
    await spooled.remove();
  }
}

async function readHead(path: string, length: number): Promise<Buffer> {
  const file = await openFileReader(path);
  try {
    return await file.read(0, Math.min(file.size, length));
  } finally {
    await file.close();
  }
}

/** A raw disk, or the guest disk of a qcow2 image, in a local file. */
async function inspectDiskFile(path: string, deadline: number): Promise<PartitionOutcome[]> {
  const file = await openFileReader(path);
  try {
    const head = await file.read(0, Math.min(file.size, 4));
    const disk = isQcow2(head) ? await openQcow2Reader(file) : file;
    return await inspectDisk(withDeadline(disk, deadline));
  } finally {
    await file.close();
  }
}

async function inspectTar(stream: Readable, deadline: number): Promise<PartitionOutcome> {
  const fileSystem = await readTarFileSystem(stream, deadline);
  const findings = await inspectFileTree(new FileTree(fileSystem), 'rootfs');
  const report: PartitionReport = {
    name: 'rootfs',
    offset: 0,
    size: 0,
    filesystem: 'tar',
    rhelFound: Object.values(findings.checks).some((check) => check.found),
    signedPackageCount: findings.signedPackageCount,
    ...(findings.rpmDatabase ? { rpmDatabase: findings.rpmDatabase } : {}),
    errors: findings.errors,
  };
  return { report, findings };
}

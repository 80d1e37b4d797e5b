import { createReadStream, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { inspectDiskImage } from '../src';
import { buildExt4, buildPartitionedDisk, buildTar } from './support/disk-images';
import { prepareRootfs } from './support/rootfs';

let work: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'disk-inspector-uploads-'));
  const rhel9 = prepareRootfs('rhel9');
  buildExt4(rhel9, join(work, 'rhel9.ext4'));
  buildPartitionedDisk(join(work, 'rhel9.ext4'), join(work, 'rhel9.raw'), 'gpt');
  buildTar(rhel9, join(work, 'rhel9.tar.gz'), true);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

const spoolDirectories = (): string[] => readdirSync(tmpdir()).filter((name) => name.startsWith('overcast-upload-'));

/** Chunks of an odd size, as a request body arrives: no chunk boundary lines up with a block. */
function asRequestBody(bytes: Buffer): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += 99_991) chunks.push(bytes.subarray(at, at + 99_991));
  return Readable.from(chunks);
}

describe('an image uploaded as a stream, as POST /api/v1/image/{id}/inspection receives it', () => {
  it('reads a raw GPT disk through a sparse temporary file, removed afterwards', async () => {
    const before = spoolDirectories();
    const result = await inspectDiskImage({
      kind: 'upload',
      stream: asRequestBody(readFileSync(join(work, 'rhel9.raw'))),
    });
    expect(result.status).toBe('inspected');
    expect(result.rhel.detected).toBe(true);
    expect(result.partitions.map(({ name, filesystem }) => `${name}:${filesystem}`)).toEqual(['p1:unknown', 'p2:ext4']);
    expect(spoolDirectories()).toEqual(before);
  });

  it('reads a gzipped raw disk the same way', async () => {
    const gzipped = gzipSync(readFileSync(join(work, 'rhel9.raw')));
    const result = await inspectDiskImage({ kind: 'upload', stream: asRequestBody(gzipped) });
    expect(result.rhel.detected).toBe(true);
    expect(result.rhel.checks.signedPackages.evidence[0]?.partition).toBe('p2');
  });

  it('reads a gzipped rootfs tar as it streams, writing nothing', async () => {
    const before = spoolDirectories();
    const result = await inspectDiskImage({ kind: 'upload', stream: createReadStream(join(work, 'rhel9.tar.gz')) });
    expect(result.rhel.detected).toBe(true);
    expect(result.partitions[0]?.filesystem).toBe('tar');
    expect(spoolDirectories()).toEqual(before);
  });

  it('refuses an upload past its size limit and removes what it spooled', async () => {
    const before = spoolDirectories();
    const result = await inspectDiskImage({
      kind: 'upload',
      stream: asRequestBody(readFileSync(join(work, 'rhel9.raw'))),
      maxBytes: 1024 * 1024,
    });
    expect(result).toEqual(
      expect.objectContaining({ status: 'error', errors: ['the upload is larger than 1048576 bytes'] }),
    );
    expect(spoolDirectories()).toEqual(before);
  });

  it('reads a gzip bomb of zeros (nothing of it written: zero stretches are holes) as holding no filesystem', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 1 });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const result = await inspectDiskImage({ kind: 'upload', stream: Readable.from([bomb]) });
    expect(result.status).toBe('error');
    expect(result.errors).toEqual(['no partition holds a filesystem the inspector reads (ext2/3/4, XFS)']);
  });

  it('refuses a gzip stream that breaks off', async () => {
    const gzipped = gzipSync(readFileSync(join(work, 'rhel9.raw')));
    const result = await inspectDiskImage({
      kind: 'upload',
      stream: Readable.from([gzipped.subarray(0, gzipped.length / 2)]),
    });
    expect(result.status).toBe('error');
    expect(result.errors[0]).toMatch(/unexpected end of file/);
  });
});

import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pack } from 'tar-stream';
import { bufferReader, inspectDiskImage } from '../src';
import { buildExt4 } from './support/disk-images';
import { prepareRootfs } from './support/rootfs';

let work: string;
let ext4: Buffer;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'disk-inspector-hostile-'));
  const rootfs = prepareRootfs('rhel9');
  symlinkSync('loop-b-release', join(rootfs, 'etc/loop-a-release'));
  symlinkSync('loop-a-release', join(rootfs, 'etc/loop-b-release'));
  buildExt4(rootfs, join(work, 'looped.ext4'));
  buildExt4(prepareRootfs('rhel9'), join(work, 'rhel9.ext4'));
  ext4 = readFileSync(join(work, 'rhel9.ext4'));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

async function tarOf(
  members: { name: string; content?: string; type?: 'symlink'; linkname?: string }[],
): Promise<Buffer> {
  const archive = pack();
  for (const member of members) {
    if (member.type === 'symlink') archive.entry({ name: member.name, type: 'symlink', linkname: member.linkname });
    else archive.entry({ name: member.name }, member.content ?? '');
  }
  archive.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of archive) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('hostile and broken images end in a result that says why, never a crash or a hang', () => {
  it('stops a symlink loop and still reads the other release files and checks', async () => {
    const result = await inspectDiskImage({ kind: 'file', path: join(work, 'looped.ext4') });
    expect(result.status).toBe('inspected');
    expect(result.errors).toEqual([
      'disk: release files: /etc/loop-a-release: too many symlinks resolving /etc/loop-a-release',
      'disk: release files: /etc/loop-b-release: too many symlinks resolving /etc/loop-b-release',
    ]);
    expect(result.rhel.detected).toBe(true);
    expect(result.rhel.checks.releaseFiles.evidence.map((evidence) => evidence.path)).toEqual([
      '/etc/os-release',
      '/etc/redhat-release',
      '/etc/system-release',
    ]);
  });

  it('refuses a truncated ext4 image: reads past its end are refused, not zero-filled', async () => {
    const result = await inspectDiskImage({ kind: 'reader', reader: bufferReader(ext4.subarray(0, 64 * 1024)) });
    expect(result.status).toBe('error');
    expect(result.errors[0]).toMatch(/^disk: read past the end of the image/);
  });

  it('refuses an ext4 superblock with an impossible block size', async () => {
    const broken = Buffer.from(ext4);
    broken.writeUInt32LE(40, 1024 + 24);
    const result = await inspectDiskImage({ kind: 'reader', reader: bufferReader(broken) });
    expect(result).toEqual(expect.objectContaining({ status: 'error' }));
    expect(result.errors[0]).toBe('disk: ext4: block size 2^50 is not one ext4 uses');
  });

  it('refuses XFS magic followed by garbage', async () => {
    const garbage = Buffer.alloc(1024 * 1024, 0xff);
    garbage.write('XFSB', 0, 'latin1');
    const result = await inspectDiskImage({ kind: 'reader', reader: bufferReader(garbage) });
    expect(result.status).toBe('error');
    expect(result.errors[0]).toMatch(/^disk: XFS: /);
  });

  it('drops GPT entries that point past the disk', async () => {
    const disk = Buffer.alloc(64 * 1024);
    disk.write('EFI PART', 512, 'latin1');
    disk.writeBigUInt64LE(2n, 512 + 72);
    disk.writeUInt32LE(1, 512 + 80);
    disk.writeUInt32LE(128, 512 + 84);
    disk.fill(1, 1024, 1040); // a type GUID
    disk.writeBigUInt64LE(10n, 1024 + 32);
    disk.writeBigUInt64LE(10n ** 12n, 1024 + 40);
    const result = await inspectDiskImage({ kind: 'reader', reader: bufferReader(disk) });
    expect(result.partitions).toEqual([]);
    expect(result.status).toBe('error');
  });

  it('keeps tar members inside the archive root: "../" and absolute names are read as the image\'s own paths', async () => {
    const archive = await tarOf([
      { name: '../../../etc/redhat-release', content: 'Red Hat Enterprise Linux release 9.4 (Plow)\n' },
      { name: '/etc/pki/product/69.pem', content: 'certificate' },
      { name: 'etc/system-release', type: 'symlink', linkname: '../../../../etc/redhat-release' },
    ]);
    const result = await inspectDiskImage({ kind: 'tar', stream: Readable.from([archive]) });
    expect(result.rhel.checks.releaseFiles.evidence.map((evidence) => evidence.path)).toEqual([
      '/etc/redhat-release',
      '/etc/system-release',
    ]);
    expect(result.rhel.checks.productCertificates.evidence[0]?.path).toBe('/etc/pki/product/69.pem');
  });

  it('refuses a truncated tar', async () => {
    const archive = await tarOf([{ name: 'etc/redhat-release', content: 'x'.repeat(5000) }]);
    const result = await inspectDiskImage({ kind: 'tar', stream: Readable.from([archive.subarray(0, 1500)]) });
    expect(result.status).toBe('error');
    expect(result.errors[0]).toMatch(/^tar: /);
  });

  it('stops at the deadline', async () => {
    const result = await inspectDiskImage({ kind: 'reader', reader: bufferReader(ext4) }, {}, { timeoutMs: 0 });
    expect(result.status).toBe('error');
    expect(result.errors).toEqual(['the inspection ran out of time']);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectDiskImage } from '../src';
import { buildExt4, buildPartitionedDisk, buildTar } from './support/disk-images';
import { expectNoRhel, expectRhel9 } from './support/expectations';
import { addFillerFiles, prepareRootfs, withLongOsReleaseLink } from './support/rootfs';

let work: string;
const image = (name: string): string => join(work, name);

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'disk-inspector-'));
  const rhel9 = prepareRootfs('rhel9');
  buildExt4(rhel9, image('rhel9.ext4'));
  buildPartitionedDisk(image('rhel9.ext4'), image('rhel9-gpt.raw'), 'gpt');
  buildTar(rhel9, image('rhel9.tar'));
  const centos = prepareRootfs('centos7');
  buildExt4(centos, image('centos7.ext4'));
  buildPartitionedDisk(image('centos7.ext4'), image('centos7-mbr.raw'), 'dos');
  buildPartitionedDisk(image('rhel9.ext4'), image('rhel9-logical.raw'), 'dos-logical');
  buildTar(centos, image('centos7.tar.gz'), true);
  buildExt4(prepareRootfs('ubuntu'), image('ubuntu.ext4'));
  buildExt4(rhel9, image('rhel9-features.ext4'), 16, [
    '-O',
    'meta_bg,^resize_inode,inline_data',
    '-b',
    '1024',
    '-I',
    '1024',
  ]);
  const rhel9Crowded = prepareRootfs('rhel9');
  addFillerFiles(rhel9Crowded, 'etc', 2500);
  buildExt4(rhel9Crowded, image('rhel9-crowded.ext4'), 32);
  buildExt4(rhel9Crowded, image('rhel9-crowded.ext3'), 32, [], 'ext3');
  buildExt4(withLongOsReleaseLink(prepareRootfs('rhel9')), image('rhel9-long-link.ext4'));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('inspecting disk images built here, without mounting them', () => {
  it('finds RHEL 9 on a bare ext4 filesystem by all four checks, with the file behind each', async () => {
    const result = await inspectDiskImage({ kind: 'file', path: image('rhel9.ext4') });
    expectRhel9(result, 'disk');
    expect(result.partitions).toEqual([
      expect.objectContaining({ name: 'disk', filesystem: 'ext4', rhelFound: true, signedPackageCount: 2, errors: [] }),
    ]);
  });

  it('finds RHEL 9 on ext4 with 1 KiB blocks, meta_bg and inline data (a 223-byte repo file inside its inode)', async () => {
    expectRhel9(await inspectDiskImage({ kind: 'file', path: image('rhel9-features.ext4') }), 'disk');
  });

  it('follows a 441-byte symlink kept in a data block rather than its inode', async () => {
    expectRhel9(await inspectDiskImage({ kind: 'file', path: image('rhel9-long-link.ext4') }), 'disk');
  });

  it('finds RHEL 9 on ext4 whose /etc needs a two-level extent tree (70 extents)', async () => {
    expectRhel9(await inspectDiskImage({ kind: 'file', path: image('rhel9-crowded.ext4') }), 'disk');
  });

  it('finds RHEL 9 on ext3, its /etc mapped by direct and indirect blocks rather than extents', async () => {
    const result = await inspectDiskImage({ kind: 'file', path: image('rhel9-crowded.ext3') });
    expectRhel9(result, 'disk');
    expect(result.partitions[0]?.filesystem).toBe('ext4'); // one reader for ext2, ext3 and ext4
  });

  it('finds RHEL 9 on the second partition of a GPT disk and passes over the empty first one', async () => {
    const result = await inspectDiskImage({ kind: 'file', path: image('rhel9-gpt.raw') });
    expectRhel9(result, 'p2');
    expect(result.partitions.map(({ name, filesystem, offset }) => ({ name, filesystem, offset }))).toEqual([
      { name: 'p1', filesystem: 'unknown', offset: 2048 * 512 },
      { name: 'p2', filesystem: 'ext4', offset: 4096 * 512 },
    ]);
    expect(result.errors).toEqual([]);
  });

  it('reports CentOS on an MBR disk as no RHEL, though its redhat-release exists (a symlink to centos-release)', async () => {
    const result = await inspectDiskImage({ kind: 'file', path: image('centos7-mbr.raw') });
    expectNoRhel(result);
    expect(result.operatingSystems).toEqual([{ partition: 'p2', id: 'centos', name: 'CentOS Linux', versionId: '7' }]);
    expect(result.partitions[1]).toEqual(
      expect.objectContaining({ filesystem: 'ext4', rpmDatabase: '/var/lib/rpm/rpmdb.sqlite', signedPackageCount: 0 }),
    );
  });

  it("finds RHEL 9 in a logical partition, through the extended partition's boot record chain", async () => {
    const result = await inspectDiskImage({ kind: 'file', path: image('rhel9-logical.raw') });
    expectRhel9(result, 'p5');
    expect(result.partitions.map(({ name, filesystem, offset }) => `${name}:${filesystem}@${offset / 512}`)).toEqual([
      'p1:unknown@2048',
      'p5:ext4@6144',
    ]);
  });

  it('reports Ubuntu as no RHEL, with no rpm database', async () => {
    const result = await inspectDiskImage({ kind: 'file', path: image('ubuntu.ext4') });
    expectNoRhel(result);
    expect(result.operatingSystems).toEqual([{ partition: 'disk', id: 'ubuntu', name: 'Ubuntu', versionId: '24.04' }]);
    expect(result.partitions[0]?.rpmDatabase).toBeUndefined();
  });

  it('finds RHEL 9 in a rootfs tar, as a file and as a stream', async () => {
    expectRhel9(await inspectDiskImage({ kind: 'file', path: image('rhel9.tar') }), 'rootfs');
    const { createReadStream } = await import('node:fs');
    expectRhel9(await inspectDiskImage({ kind: 'tar', stream: createReadStream(image('rhel9.tar')) }), 'rootfs');
  });

  it('reads a gzipped CentOS rootfs tar as no RHEL', async () => {
    const result = await inspectDiskImage({ kind: 'file', path: image('centos7.tar.gz') });
    expectNoRhel(result);
    expect(result.partitions[0]).toEqual(expect.objectContaining({ name: 'rootfs', filesystem: 'tar' }));
  });
});

describe('verdicts that come from the image metadata', () => {
  it('finds OpenShift by the cloudigrade-ocp-present tag, beside what the disk says', async () => {
    const result = await inspectDiskImage(
      { kind: 'file', path: image('rhel9.ext4') },
      { tags: { 'cloudigrade-ocp-present': '' } },
    );
    expect(result.openshift).toEqual({
      detected: true,
      checks: {
        tag: { found: true, evidence: [{ partition: 'metadata', detail: 'image tag cloudigrade-ocp-present' }] },
      },
    });
    expect(result.rhel.detected).toBe(true);
  });

  it('marks a Windows image inspected without reading it', async () => {
    const result = await inspectDiskImage({ kind: 'file', path: '/nonexistent' }, { platform: 'Windows' });
    expect(result).toEqual(expect.objectContaining({ status: 'inspected', skipped: 'windows', partitions: [] }));
    expect(result.rhel.detected).toBe(false);
  });

  it('marks an encrypted image as encrypted and finished, not left preparing', async () => {
    const result = await inspectDiskImage({ kind: 'file', path: '/nonexistent' }, { encrypted: true });
    expect(result).toEqual(expect.objectContaining({ status: 'inspected', skipped: 'encrypted', isEncrypted: true }));
  });
});

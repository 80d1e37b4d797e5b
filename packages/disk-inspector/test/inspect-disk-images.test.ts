import { mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectDiskImage, type InspectionResult } from '../src';
import { buildExt4, buildPartitionedDisk, buildTar, buildXfs } from './support/disk-images';
import { buildLvmDisk } from './support/lvm-disk';
import { prepareRootfs } from './support/rootfs';

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
  addFiller(rhel9Crowded, 'etc', 2500);
  buildXfs(rhel9Crowded, image('rhel9.xfs'), 96);
  buildExt4(rhel9Crowded, image('rhel9-crowded.ext4'), 32);
  buildExt4(rhel9Crowded, image('rhel9-crowded.ext3'), 32, [], 'ext3');
  // A symlink target too long for the inode: XFS keeps it in a remote block, ext4 in a data block. XFS v4: the
  // protofile code of mkfs.xfs 6.1 writes v5 remote symlinks without their XSLM header (xfs_repair calls them bad),
  // so a v5 one is not made here.
  const longLink = prepareRootfs('rhel9');
  unlinkSync(join(longLink, 'etc/os-release'));
  symlinkSync(`..${'/usr/..'.repeat(60)}/usr/lib/os-release`, join(longLink, 'etc/os-release'));
  buildXfs(longLink, image('rhel9-long-link.xfs'), 64, ['-m', 'crc=0']);
  buildExt4(longLink, image('rhel9-long-link.ext4'));
  buildXfs(rhel9Crowded, image('rhel9-v4.xfs'), 96, ['-m', 'crc=0', '-n', 'ftype=0']);
  const rhel7 = prepareRootfs('rhel7');
  buildXfs(rhel7, image('rhel7.xfs'));
  buildPartitionedDisk(image('rhel7.xfs'), image('rhel7-gpt.raw'), 'gpt');
  buildXfs(prepareRootfs('rhel9'), image('rhel9-lvm-root.xfs'), 20);
  buildLvmDisk(image('rhel9-lvm-root.xfs'), image('rhel9-lvm.raw'), `inspect${process.pid}`);
});

/**
 * Enough entries that XFS keeps the directory in node form, its blocks interleaved with the files' so that the
 * extents overflow the inode into an extent B+tree (format 3).
 */
function addFiller(rootfs: string, directory: string, count: number): void {
  for (let index = 0; index < count; index++) {
    writeFileSync(join(rootfs, directory, `filler-${String(index).padStart(4, '0')}.conf`), `# ${index}\n`);
  }
}

afterAll(() => rmSync(work, { recursive: true, force: true }));

function expectRhel9(result: InspectionResult, partition: string): void {
  expect(result.status).toBe('inspected');
  expect(result.rhel.detected).toBe(true);
  expect(result.rhel.version).toBe('9.4');
  expect(result.rhel.syspurpose).toEqual({
    role: 'Red Hat Enterprise Linux Server',
    service_level_agreement: 'Premium',
    usage: 'Production',
  });
  const { releaseFiles, productCertificates, enabledRepos, signedPackages } = result.rhel.checks;
  expect(releaseFiles.found).toBe(true);
  expect(releaseFiles.evidence.map((evidence) => evidence.path)).toEqual([
    '/etc/os-release',
    '/etc/redhat-release',
    '/etc/system-release',
  ]);
  expect(releaseFiles.evidence[1]).toEqual({
    partition,
    path: '/etc/redhat-release',
    detail: 'Red Hat Enterprise Linux release 9.4 (Plow)',
  });
  expect(productCertificates).toEqual({
    found: true,
    evidence: [{ partition, path: '/etc/pki/product-default/479.pem', detail: 'product certificate 479' }],
  });
  expect(enabledRepos).toEqual({
    found: true,
    evidence: [
      {
        partition,
        path: '/etc/yum.repos.d/redhat.repo',
        detail: '[rhel-9-for-x86_64-baseos-rpms] Red Hat Enterprise Linux 9 for x86_64 - BaseOS (RPMs)',
      },
    ],
  });
  expect(signedPackages.found).toBe(true);
  expect(signedPackages.evidence).toEqual([
    {
      partition,
      path: '/var/lib/rpm/rpmdb.sqlite',
      detail: '2 of 4 packages signed by Red Hat key 199e2f91fd431d51, 5326810137017186 (bash, kernel)',
    },
  ]);
  expect(result.operatingSystems).toEqual([
    { partition, id: 'rhel', name: 'Red Hat Enterprise Linux', versionId: '9.4' },
  ]);
  expect(result.openshift.detected).toBe(false);
}

function expectNoRhel(result: InspectionResult): void {
  expect(result.status).toBe('inspected');
  expect(result.rhel.detected).toBe(false);
  expect(result.rhel.version).toBeNull();
  expect(result.rhel.syspurpose).toBeNull();
  for (const check of Object.values(result.rhel.checks)) expect(check).toEqual({ found: false, evidence: [] });
}

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

describe("XFS, RHEL's default root filesystem", () => {
  it('finds RHEL 9 on XFS v5 whose /etc is a node-form directory mapped by an extent B+tree', async () => {
    const result = await inspectDiskImage({ kind: 'file', path: image('rhel9.xfs') });
    expectRhel9(result, 'disk');
    expect(result.partitions[0]).toEqual(expect.objectContaining({ filesystem: 'xfs', errors: [] }));
  });

  it('finds RHEL 9 on XFS v4 (no CRCs, no file types in directory entries)', async () => {
    const result = await inspectDiskImage({ kind: 'file', path: image('rhel9-v4.xfs') });
    expectRhel9(result, 'disk');
    expect(result.partitions[0]).toEqual(expect.objectContaining({ filesystem: 'xfs', errors: [] }));
  });

  it.each(['rhel9-long-link.xfs', 'rhel9-long-link.ext4'])(
    'follows a 441-byte symlink kept outside its inode (%s)',
    async (name) => {
      expectRhel9(await inspectDiskImage({ kind: 'file', path: image(name) }), 'disk');
    },
  );

  it('finds RHEL 7 on a GPT disk: Server product certificate, RHUI repo in a reposdir, Berkeley DB rpmdb', async () => {
    const result = await inspectDiskImage({ kind: 'file', path: image('rhel7-gpt.raw') });
    expect(result.status).toBe('inspected');
    expect(result.rhel.detected).toBe(true);
    expect(result.rhel.version).toBe('7.4');
    const { releaseFiles, productCertificates, enabledRepos, signedPackages } = result.rhel.checks;
    expect(releaseFiles.evidence).toEqual([
      { partition: 'p2', path: '/etc/os-release', detail: 'NAME="Red Hat Enterprise Linux Server"' },
      { partition: 'p2', path: '/etc/redhat-release', detail: 'Red Hat Enterprise Linux Server release 7.4 (Maipo)' },
    ]);
    expect(productCertificates.evidence).toEqual([
      { partition: 'p2', path: '/etc/pki/product/69.pem', detail: 'product certificate 69' },
    ]);
    expect(enabledRepos.evidence).toEqual([
      {
        partition: 'p2',
        path: '/etc/rhui.repos.d/rh-cloud.repo',
        detail: '[rhui-rhel-7-server-rhui-rpms] Red Hat Enterprise Linux 7 Server from RHUI (RPMs)',
      },
    ]);
    expect(signedPackages.evidence).toEqual([
      {
        partition: 'p2',
        path: '/var/lib/rpm/Packages',
        detail: '2 of 4 packages signed by Red Hat key 199e2f91fd431d51, 5326810137017186 (bash, kernel)',
      },
    ]);
    expect(result.partitions.map(({ name, filesystem }) => `${name}:${filesystem}`)).toEqual(['p1:unknown', 'p2:xfs']);
  });
});

describe("LVM, the RHEL installer's default layout", () => {
  it('finds RHEL 9 on XFS in a logical volume, passing over the swap volume before it', async () => {
    const result = await inspectDiskImage({ kind: 'file', path: image('rhel9-lvm.raw') });
    const volumeGroup = `inspect${process.pid}`;
    expectRhel9(result, `p1/${volumeGroup}/root`);
    expect(result.partitions.map(({ name, filesystem }) => `${name}:${filesystem}`)).toEqual([
      `p1/${volumeGroup}/swap:unknown`,
      `p1/${volumeGroup}/root:xfs`,
    ]);
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

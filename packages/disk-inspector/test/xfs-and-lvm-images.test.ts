import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectDiskImage } from '../src';
import { buildPartitionedDisk, buildXfs } from './support/disk-images';
import { expectRhel9 } from './support/expectations';
import { buildLvmDisk } from './support/lvm-disk';
import { addFillerFiles, prepareRootfs, withLongOsReleaseLink } from './support/rootfs';

let work: string;
const image = (name: string): string => join(work, name);

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'disk-inspector-xfs-'));
  const rhel9Crowded = prepareRootfs('rhel9');
  addFillerFiles(rhel9Crowded, 'etc', 2500);
  buildXfs(rhel9Crowded, image('rhel9.xfs'), 96);
  buildXfs(rhel9Crowded, image('rhel9-v4.xfs'), 96, ['-m', 'crc=0', '-n', 'ftype=0']);
  // v4: the protofile code of mkfs.xfs 6.1 writes v5 remote symlinks without their XSLM header (xfs_repair -n calls
  // them bad, and the reader, like the kernel, refuses them), so no v5 one is made here.
  buildXfs(withLongOsReleaseLink(prepareRootfs('rhel9')), image('rhel9-long-link.xfs'), 64, ['-m', 'crc=0']);
  buildXfs(prepareRootfs('rhel7'), image('rhel7.xfs'));
  buildPartitionedDisk(image('rhel7.xfs'), image('rhel7-gpt.raw'), 'gpt');
  buildXfs(prepareRootfs('rhel9'), image('rhel9-lvm-root.xfs'), 20);
  buildLvmDisk(image('rhel9-lvm-root.xfs'), image('rhel9-lvm.raw'), `inspect${process.pid}`);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

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

  it('follows a 441-byte symlink kept in a remote block rather than its inode (v4)', async () => {
    expectRhel9(await inspectDiskImage({ kind: 'file', path: image('rhel9-long-link.xfs') }), 'disk');
  });

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

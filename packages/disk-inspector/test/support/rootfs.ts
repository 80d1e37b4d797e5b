import { mkdirSync, mkdtempSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeBerkeleyRpmDatabase, writeSqliteRpmDatabase } from './rpm-databases';
import type { TestPackage } from './rpm-headers';

export type RootfsKind = 'rhel9' | 'rhel7' | 'centos7' | 'ubuntu';

const redHatKey = '199e2f91fd431d51';
const centosKey = '24c6a8a7f4a80eb5';

/** Root filesystems shaped like each distribution's images, with houndigrade's test strings (FACTS 4.7). */
export function prepareRootfs(kind: RootfsKind): string {
  const root = mkdtempSync(join(tmpdir(), `rootfs-${kind}-`));
  const file = (path: string, content: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  };
  const link = (path: string, target: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    symlinkSync(target, join(root, path));
  };
  const rpmDirectory = join(root, 'var/lib/rpm');
  switch (kind) {
    case 'rhel9':
      file('etc/redhat-release', 'Red Hat Enterprise Linux release 9.4 (Plow)\n');
      link('etc/system-release', 'redhat-release');
      file('usr/lib/os-release', 'NAME="Red Hat Enterprise Linux"\nID="rhel"\nVERSION_ID="9.4"\n');
      link('etc/os-release', '../usr/lib/os-release');
      file('etc/pki/product-default/479.pem', '-----BEGIN CERTIFICATE-----\n');
      file(
        'etc/rhsm/syspurpose/syspurpose.json',
        '{"role": "Red Hat Enterprise Linux Server", "service_level_agreement": "Premium", "usage": "Production"}\n',
      );
      file('etc/dnf/dnf.conf', '[main]\ngpgcheck=1\n');
      file(
        'etc/yum.repos.d/redhat.repo',
        '[rhel-9-for-x86_64-baseos-rpms]\nname = Red Hat Enterprise Linux 9 for x86_64 - BaseOS (RPMs)\nenabled = 1\n\n' +
          '[rhel-9-for-x86_64-baseos-debug-rpms]\nname = Red Hat Enterprise Linux 9 for x86_64 - BaseOS (Debug RPMs)\nenabled = 0\n',
      );
      mkdirSync(rpmDirectory, { recursive: true });
      writeSqliteRpmDatabase(join(rpmDirectory, 'rpmdb.sqlite'), rhelPackages());
      break;
    case 'rhel7':
      file('etc/redhat-release', 'Red Hat Enterprise Linux Server release 7.4 (Maipo)\n');
      file('etc/os-release', 'NAME="Red Hat Enterprise Linux Server"\nID="rhel"\nVERSION_ID="7.4"\n');
      file('etc/pki/product/69.pem', '-----BEGIN CERTIFICATE-----\n');
      file('etc/yum.conf', '[main]\nreposdir=/etc/yum.repos.d,/etc/rhui.repos.d\n');
      file(
        'etc/rhui.repos.d/rh-cloud.repo',
        '[rhui-rhel-7-server-rhui-rpms]\nname=Red Hat Enterprise Linux 7 Server from RHUI (RPMs)\nenabled=1\n',
      );
      mkdirSync(rpmDirectory, { recursive: true });
      writeBerkeleyRpmDatabase(join(rpmDirectory, 'Packages'), rhelPackages());
      break;
    case 'centos7':
      file('etc/centos-release', 'CentOS Linux release 7.4.1708 (Core)\n');
      file('etc/rhsm/syspurpose/syspurpose.json', '{"role": "not RHEL, so not reported"}');
      link('etc/redhat-release', 'centos-release');
      file('etc/os-release', 'NAME="CentOS Linux"\nID="centos"\nVERSION_ID="7"\n');
      file('etc/yum.repos.d/CentOS-Base.repo', '[base]\nname=CentOS-$releasever - Base\nenabled=1\n');
      mkdirSync(rpmDirectory, { recursive: true });
      writeSqliteRpmDatabase(join(rpmDirectory, 'rpmdb.sqlite'), [
        { name: 'bash', keyId: centosKey },
        { name: 'kernel', keyId: centosKey },
      ]);
      break;
    case 'ubuntu':
      file('etc/lsb-release', 'DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=24.04\n');
      file('usr/lib/os-release', 'NAME="Ubuntu"\nID=ubuntu\nVERSION_ID="24.04"\n');
      link('etc/os-release', '../usr/lib/os-release');
      file('var/lib/dpkg/status', 'Package: bash\nStatus: install ok installed\n');
      break;
  }
  return root;
}

/** Two Red Hat-signed packages (v4 and v3 signatures), one unsigned, one signed by someone else; one large. */
function rhelPackages(): TestPackage[] {
  return [
    { name: 'bash', keyId: redHatKey, padding: 9000 },
    { name: 'kernel', keyId: '5326810137017186', signatureVersion: 3 },
    { name: 'local-tool' },
    { name: 'epel-thing', keyId: '6a2faea2352c64e5' },
  ];
}

/**
 * Enough entries that the directory outgrows its inode: on XFS a node-form directory whose blocks, interleaved with
 * the files', need an extent B+tree; on ext4 a two-level extent tree; on ext3 indirect blocks.
 */
export function addFillerFiles(rootfs: string, directory: string, count: number): void {
  for (let index = 0; index < count; index++) {
    writeFileSync(join(rootfs, directory, `filler-${String(index).padStart(4, '0')}.conf`), `# ${index}\n`);
  }
}

/** /etc/os-release as a 441-byte symlink, too long for its inode (XFS: a remote block; ext4: a data block). */
export function withLongOsReleaseLink(rootfs: string): string {
  unlinkSync(join(rootfs, 'etc/os-release'));
  symlinkSync(`..${'/usr/..'.repeat(60)}/usr/lib/os-release`, join(rootfs, 'etc/os-release'));
  return rootfs;
}

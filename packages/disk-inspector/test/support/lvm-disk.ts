import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, truncateSync, writeFileSync, writeSync } from 'node:fs';

const megabyte = 1024 * 1024;
const partitionStart = 1024 * 1024;

/**
 * A GPT disk whose one partition is an LVM physical volume holding volume group `vg` with a 4 MiB `swap` volume
 * and a `root` volume (so root starts at a later extent), the filesystem image written into root. LVM's own tools
 * write the label and metadata, through a loop device over the partition (detached afterwards); volumes are never
 * activated (no device-mapper needed), and no backup, archive or devices file is written on the host.
 */
export function buildLvmDisk(filesystemImage: string, disk: string, vg: string): void {
  const filesystem = readFileSync(filesystemImage);
  const rootMb = Math.ceil(filesystem.length / megabyte / 4) * 4;
  const physicalBytes = (rootMb + 4 + 4) * megabyte;
  writeFileSync(disk, '');
  truncateSync(disk, partitionStart + physicalBytes + megabyte);
  const script = `label: gpt\nstart=2048, size=${physicalBytes / 512}, type=E6D6D379-F507-44C2-A23C-238F2A3DF928\n`;
  execFileSync('sfdisk', ['--quiet', disk], { input: script });
  const loop = execFileSync('losetup', [
    '--find',
    '--show',
    '--offset',
    `${partitionStart}`,
    '--sizelimit',
    `${physicalBytes}`,
    disk,
  ])
    .toString()
    .trim();
  let rootOffset: number;
  try {
    const config =
      `devices { filter=["a|^${loop}$|","r|.*|"] use_devicesfile=0 obtain_device_list_from_udev=0 } ` +
      'backup { backup=0 archive=0 } activation { udev_sync=0 udev_rules=0 }';
    const lvm = (...args: string[]): string =>
      execFileSync('lvm', [args[0] as string, '--config', config, ...args.slice(1)], {
        env: { ...process.env, LVM_SUPPRESS_FD_WARNINGS: '1' },
        stdio: ['ignore', 'pipe', 'ignore'],
      }).toString();
    lvm('pvcreate', loop);
    lvm('vgcreate', vg, loop);
    lvm('lvcreate', '--driverloaded', 'n', '-an', '-Zn', '-L', '4M', '-n', 'swap', vg);
    lvm('lvcreate', '--driverloaded', 'n', '-an', '-Zn', '-L', `${rootMb}M`, '-n', 'root', vg);
    const peStart = Number(lvm('pvs', '--noheadings', '--units', 'b', '--nosuffix', '-o', 'pe_start', loop).trim());
    const extent = Number(lvm('vgs', '--noheadings', '--units', 'b', '--nosuffix', '-o', 'vg_extent_size', vg).trim());
    const ranges = lvm('lvs', '--driverloaded', 'n', '--noheadings', '--segments', '-o', 'seg_pe_ranges', `${vg}/root`);
    const firstExtent = Number(/:(\d+)-/.exec(ranges)?.[1]);
    rootOffset = partitionStart + peStart + firstExtent * extent;
  } finally {
    execFileSync('losetup', ['--detach', loop]);
  }
  const handle = openSync(disk, 'r+');
  writeSync(handle, filesystem, 0, filesystem.length, rootOffset);
  closeSync(handle);
}

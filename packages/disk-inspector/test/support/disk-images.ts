import { execFileSync } from 'node:child_process';
import {
  closeSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

const megabyte = 1024 * 1024;

/** An ext4 (or ext2/ext3) filesystem image holding the directory, made by mke2fs -d (no mount, no root needed). */
export function buildExt4(rootfs: string, image: string, sizeMb = 16, options: string[] = [], type = 'ext4'): void {
  execFileSync('mke2fs', [
    '-q',
    '-F',
    '-t',
    type,
    ...options,
    '-E',
    'root_owner=0:0',
    '-d',
    rootfs,
    image,
    `${sizeMb}M`,
  ]);
}

/**
 * An XFS filesystem image holding the directory. xfsprogs 6.1 fills a filesystem from a prototype file, not a
 * directory, so one is written from the tree; the QA variables let mkfs.xfs make one under its 300 MB minimum.
 */
export function buildXfs(rootfs: string, image: string, sizeMb = 64, options: string[] = []): void {
  const proto = `${image}.proto`;
  const lines = ['boot', '0 0', 'd--755 0 0', ...protoEntries(rootfs, 1), '$'];
  writeFileSync(proto, `${lines.join('\n')}\n`);
  writeFileSync(image, '');
  truncateSync(image, sizeMb * megabyte);
  execFileSync('mkfs.xfs', ['-q', '-f', ...options, '-p', proto, image], {
    env: { ...process.env, QA_CHECK_FS: '1', TEST_DIR: '/tmp', TEST_DEV: image },
  });
}

function protoEntries(directory: string, depth: number): string[] {
  const indent = ' '.repeat(depth);
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return [`${indent}${name} l--777 0 0 ${readlinkSync(path)}`];
    if (stat.isDirectory()) return [`${indent}${name} d--755 0 0`, ...protoEntries(path, depth + 1), `${indent}$`];
    return [`${indent}${name} ---644 0 0 ${path}`];
  });
}

/**
 * A partitioned disk: sfdisk writes the table (a small empty first partition, then the filesystem's), and the
 * filesystem image is copied in at its partition's offset. 'dos-logical' puts the filesystem in logical partition 5,
 * inside an extended partition, where only the chain of extended boot records finds it.
 */
export function buildPartitionedDisk(
  filesystemImage: string,
  disk: string,
  label: 'gpt' | 'dos' | 'dos-logical',
): void {
  const filesystem = readFileSync(filesystemImage);
  const emptyStart = 2048;
  const emptySectors = 2048;
  const filesystemSectors = Math.ceil(filesystem.length / 512);
  const logical = label === 'dos-logical';
  // A logical partition starts after its extended boot record (sfdisk leaves 2048 sectors for it).
  const filesystemStart = emptyStart + emptySectors + (logical ? 2048 : 0);
  writeFileSync(disk, '');
  truncateSync(disk, (filesystemStart + filesystemSectors + 2048) * 512);
  const partitions = logical
    ? [
        `start=${emptyStart}, size=${emptySectors}`,
        `start=${emptyStart + emptySectors}, type=5`,
        `start=${filesystemStart}, size=${filesystemSectors}`,
      ]
    : [`start=${emptyStart}, size=${emptySectors}`, `start=${filesystemStart}, size=${filesystemSectors}`];
  const script = `label: ${logical ? 'dos' : label}\n${partitions.join('\n')}\n`;
  execFileSync('sfdisk', ['--quiet', disk], { input: script });
  const handle = openSync(disk, 'r+');
  writeSync(handle, filesystem, 0, filesystem.length, filesystemStart * 512);
  closeSync(handle);
}

export function buildTar(rootfs: string, archive: string, gzip = false): void {
  execFileSync('tar', [gzip ? '-czf' : '-cf', archive, '-C', rootfs, '.']);
}

/** A qcow2 image of a raw disk, made by QEMU's own converter (compressed clusters with -c). */
export function buildQcow2(rawDisk: string, image: string, options: string[] = []): void {
  execFileSync('qemu-img', ['convert', '-q', '-f', 'raw', '-O', 'qcow2', ...options, rawDisk, image]);
}

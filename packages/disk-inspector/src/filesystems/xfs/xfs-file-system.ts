import { refuse } from '../../inspection-error';
import type { ByteReader } from '../../source/byte-reader';
import { readRuns, type BlockRun } from '../block-runs';
import type { DirectoryEntry, FileSystem, FsNode, NodeKind } from '../file-system';
import { readBtreeRuns, readExtentRecords } from './xfs-block-map';
import { parseDirectoryBlock, parseShortformDirectory } from './xfs-directory';
import { inodeOffset, readXfsLayout, type XfsLayout } from './xfs-superblock';

const inodeMagic = 0x494e; // "IN"
const forkFormats = { local: 1, extents: 2, btree: 3 };
const largeExtentCounts = 0x10n; // di_flags2 NREXT64: the extent count moved to a 64-bit field
const remoteSymlinkMagic = 0x58534c4d; // "XSLM"
/** Directory data lives below this byte offset in the directory's own address space; leaf and free index above. */
const directoryLeafOffset = 32 * 1024 ** 3;
const directoryBytesLimit = 64 * 1024 * 1024;

interface XfsInode extends FsNode {
  ref: number;
  format: number;
  fork: Buffer;
  extentCount: number;
}

/** XFS (v4 and v5) read in place: inodes by number, data through extent lists and extent B+trees. */
export async function openXfs(reader: ByteReader): Promise<FileSystem> {
  const layout = await readXfsLayout(reader);
  const load = (ref: number | string): Promise<XfsInode> => readInode(reader, layout, Number(ref));
  const runsOf = async (inode: XfsInode): Promise<BlockRun[]> => {
    if (inode.format === forkFormats.btree) return readBtreeRuns(reader, layout, inode.fork);
    refuse(inode.format === forkFormats.extents, `XFS: inode ${inode.ref} has no extent list`);
    const runs: BlockRun[] = [];
    readExtentRecords(layout, inode.fork, inode.extentCount, runs);
    return runs;
  };
  const readContent = async (inode: XfsInode): Promise<Buffer> => {
    if (inode.format === forkFormats.local) return Buffer.from(inode.fork.subarray(0, inode.size));
    return readRuns(reader, await runsOf(inode), layout.blockSize, inode.size);
  };

  return {
    type: 'xfs',
    root: () => load(layout.rootInode),
    load,
    readFile: (file) => readContent(file as XfsInode),
    readLink: async (link) => {
      const inode = link as XfsInode;
      if (inode.format === forkFormats.local || !layout.isV5) return (await readContent(inode)).toString('utf8');
      return readRemoteSymlink(reader, layout, await runsOf(inode), inode.size);
    },
    entries: async (directory) => {
      const inode = directory as XfsInode;
      if (inode.format === forkFormats.local) return parseShortformDirectory(inode.fork, layout);
      return readDirectoryBlocks(reader, layout, await runsOf(inode));
    },
  };
}

async function readInode(reader: ByteReader, layout: XfsLayout, number: number): Promise<XfsInode> {
  refuse(Number.isSafeInteger(number) && number > 0, `XFS: no inode ${number}`);
  const offset = inodeOffset(layout, number);
  refuse(offset + layout.inodeSize <= reader.size, `XFS: inode ${number} lies past the filesystem`);
  const inode = await reader.read(offset, layout.inodeSize);
  refuse(inode.readUInt16BE(0) === inodeMagic, `XFS: inode ${number} has no inode magic`);
  const version = inode.readUInt8(4);
  const coreBytes = version >= 3 ? 176 : 100;
  const forkOffset = inode.readUInt8(82);
  const forkEnd = forkOffset > 0 ? coreBytes + forkOffset * 8 : layout.inodeSize;
  refuse(forkEnd <= layout.inodeSize, `XFS: inode ${number} has a broken fork offset`);
  const bigCounts = version >= 3 && (inode.readBigUInt64BE(120) & largeExtentCounts) !== 0n;
  const size = Number(inode.readBigUInt64BE(56));
  refuse(Number.isSafeInteger(size), `XFS: inode ${number} has an impossible size`);
  return {
    ref: number,
    kind: kindOf(inode.readUInt16BE(2)),
    size,
    format: inode.readUInt8(5),
    fork: Buffer.from(inode.subarray(coreBytes, forkEnd)),
    extentCount: bigCounts ? Number(inode.readBigUInt64BE(24)) : inode.readUInt32BE(76),
  };
}

function kindOf(mode: number): NodeKind {
  const type = mode & 0xf000;
  if (type === 0x8000) return 'file';
  if (type === 0x4000) return 'directory';
  if (type === 0xa000) return 'symlink';
  return 'other';
}

/** Every data block of a multi-block directory, each read whole (a directory block may span several fs blocks). */
async function readDirectoryBlocks(reader: ByteReader, layout: XfsLayout, runs: BlockRun[]): Promise<DirectoryEntry[]> {
  const blocksPerDirectoryBlock = layout.directoryBlockSize / layout.blockSize;
  const dataBlocks = directoryLeafOffset / layout.blockSize;
  const byLogical = new Map<number, number>();
  for (const run of runs) {
    for (let index = 0; index < run.count && run.logical + index < dataBlocks; index++) {
      byLogical.set(run.logical + index, run.physical + index);
      refuse(byLogical.size * layout.blockSize <= directoryBytesLimit, 'XFS: a directory larger than any real one');
    }
  }
  const entries: DirectoryEntry[] = [];
  const firsts = [...byLogical.keys()]
    .filter((logical) => logical % blocksPerDirectoryBlock === 0)
    .sort((a, b) => a - b);
  for (const first of firsts) {
    const parts: Buffer[] = [];
    for (let index = 0; index < blocksPerDirectoryBlock; index++) {
      const physical = byLogical.get(first + index);
      parts.push(
        physical === undefined
          ? Buffer.alloc(layout.blockSize)
          : await reader.read(physical * layout.blockSize, layout.blockSize),
      );
    }
    parseDirectoryBlock(Buffer.concat(parts), layout, entries);
  }
  return entries;
}

/** A v5 symlink too long for its inode: each block starts with a 56-byte header before its part of the target. */
async function readRemoteSymlink(
  reader: ByteReader,
  layout: XfsLayout,
  runs: BlockRun[],
  size: number,
): Promise<string> {
  const parts: Buffer[] = [];
  let remaining = size;
  for (const run of [...runs].sort((a, b) => a.logical - b.logical)) {
    for (let index = 0; index < run.count && remaining > 0; index++) {
      const block = await reader.read((run.physical + index) * layout.blockSize, layout.blockSize);
      refuse(block.readUInt32BE(0) === remoteSymlinkMagic, 'XFS: a symlink block without its magic');
      const length = Math.min(remaining, layout.blockSize - 56);
      parts.push(block.subarray(56, 56 + length));
      remaining -= length;
    }
  }
  return Buffer.concat(parts).toString('utf8');
}

import { refuse } from '../../inspection-error';
import { inspectionLimits } from '../../limits';
import type { ByteReader } from '../../source/byte-reader';
import { readRuns } from '../block-runs';
import type { DirectoryEntry, FileSystem, FsNode, NodeKind } from '../file-system';
import { readExtentRuns, readIndirectRuns } from './ext4-block-map';
import { readInlineDataTail } from './ext4-inline-data';
import { readExt4Layout, type Ext4Layout } from './ext4-superblock';

const rootInode = 2;
const inodeFlags = { extents: 0x80000, inlineData: 0x10000000 };
const inlineBytes = 60;
/** A directory larger than this is no directory a Linux image has in the places the checks look. */
const directoryBytesLimit = 64 * 1024 * 1024;

interface Ext4Inode extends FsNode {
  ref: number;
  flags: number;
  iBlock: Buffer;
  /** Inline data past i_block (the system.data attribute); empty unless the inode has inline data. */
  inlineTail: Buffer;
}

/** ext2, ext3 and ext4 read in place: inodes through the group descriptors, data through extents or block maps. */
export async function openExt4(reader: ByteReader): Promise<FileSystem> {
  const layout = await readExt4Layout(reader);
  const loadInode = (ref: number | string): Promise<Ext4Inode> => readInode(reader, layout, Number(ref));

  const readContent = async (inode: Ext4Inode, size: number): Promise<Buffer> => {
    if (inode.flags & inodeFlags.inlineData) {
      refuse(size <= inlineBytes + inode.inlineTail.length, 'ext4: inline data longer than its inode holds');
      return Buffer.concat([inode.iBlock, inode.inlineTail]).subarray(0, size);
    }
    const runs =
      inode.flags & inodeFlags.extents
        ? await readExtentRuns(reader, layout.blockSize, inode.iBlock)
        : await readIndirectRuns(reader, layout.blockSize, inode.iBlock, Math.ceil(size / layout.blockSize));
    return readRuns(reader, runs, layout.blockSize, size);
  };

  return {
    type: 'ext4',
    root: () => loadInode(rootInode),
    load: loadInode,
    readFile: (file) => readContent(file as Ext4Inode, file.size),
    readLink: async (link) => {
      const inode = link as Ext4Inode;
      // A short target sits in i_block itself (a "fast" symlink); a longer one in a data block.
      const fast = inode.size < inlineBytes && (inode.flags & inodeFlags.extents) === 0;
      const bytes = fast ? inode.iBlock.subarray(0, inode.size) : await readContent(inode, inode.size);
      return bytes.toString('utf8');
    },
    entries: async (directory) => {
      const inode = directory as Ext4Inode;
      // An inline directory: the parent's inode number, then entries in the rest of i_block and in the attribute.
      if (inode.flags & inodeFlags.inlineData) {
        return [
          ...parseDirectoryBlocks(inode.iBlock.subarray(4), layout, inlineBytes - 4),
          ...parseDirectoryBlocks(inode.inlineTail, layout, inode.inlineTail.length),
        ];
      }
      refuse(directory.size <= directoryBytesLimit, 'ext4: a directory larger than any real one');
      return parseDirectoryBlocks(await readContent(inode, directory.size), layout, layout.blockSize);
    },
  };
}

async function readInode(reader: ByteReader, layout: Ext4Layout, number: number): Promise<Ext4Inode> {
  refuse(Number.isInteger(number) && number >= 1 && number <= layout.inodeCount, `ext4: no inode ${number}`);
  const group = Math.floor((number - 1) / layout.inodesPerGroup);
  const index = (number - 1) % layout.inodesPerGroup;
  refuse(group < layout.groupCount, `ext4: inode ${number} is in no block group`);
  // Descriptors past the first meta block groups live beside each group, a layout not read yet.
  refuse(group < layout.contiguousDescriptorGroups, 'ext4: meta_bg group descriptors are not read yet');
  const descriptor = await reader.read(
    layout.descriptorTableOffset + group * layout.descriptorSize,
    layout.descriptorSize,
  );
  const tableHigh = layout.is64Bit && layout.descriptorSize >= 64 ? descriptor.readUInt32LE(0x28) : 0;
  const inodeTable = tableHigh * 2 ** 32 + descriptor.readUInt32LE(8);
  const inode = await reader.read(inodeTable * layout.blockSize + index * layout.inodeSize, layout.inodeSize);
  const mode = inode.readUInt16LE(0);
  const size = inode.readUInt32LE(108) * 2 ** 32 + inode.readUInt32LE(4);
  const flags = inode.readUInt32LE(32);
  return {
    ref: number,
    kind: kindOf(mode),
    size,
    flags,
    iBlock: Buffer.from(inode.subarray(40, 40 + inlineBytes)),
    inlineTail: flags & inodeFlags.inlineData ? readInlineDataTail(inode) : Buffer.alloc(0),
  };
}

function kindOf(mode: number): NodeKind {
  switch (mode & 0xf000) {
    case 0x8000:
      return 'file';
    case 0x4000:
      return 'directory';
    case 0xa000:
      return 'symlink';
    default:
      return 'other';
  }
}

/**
 * Linear directory entries, block by block. Hashed (htree) directories read the same way: their index blocks
 * look like one empty entry spanning the block. Entries with inode 0 (deleted, checksum tails) are skipped.
 */
function parseDirectoryBlocks(content: Buffer, layout: Ext4Layout, blockSize: number): DirectoryEntry[] {
  const entries: DirectoryEntry[] = [];
  for (let blockStart = 0; blockStart < content.length; blockStart += blockSize) {
    const blockEnd = Math.min(blockStart + blockSize, content.length);
    let at = blockStart;
    while (at + 8 <= blockEnd) {
      const inode = content.readUInt32LE(at);
      let recordLength = content.readUInt16LE(at + 4);
      if (recordLength === 0 || recordLength === 65535) recordLength = blockSize; // 64 KiB blocks
      const nameLength = layout.hasFileTypes ? content.readUInt8(at + 6) : content.readUInt16LE(at + 6);
      if (recordLength < 8 || at + recordLength > blockEnd || 8 + nameLength > recordLength) break;
      const name = content.toString('utf8', at + 8, at + 8 + nameLength);
      if (inode !== 0 && name !== '.' && name !== '..') {
        entries.push({ name, ref: inode });
        refuse(entries.length <= inspectionLimits.directoryEntries, 'ext4: a directory with too many entries');
      }
      at += recordLength;
    }
  }
  return entries;
}

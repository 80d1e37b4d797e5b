import { refuse } from '../../inspection-error';
import type { ByteReader } from '../../source/byte-reader';

export const ext4Magic = 0xef53;
const incompatibleFeatures = { fileType: 0x2, metaBlockGroups: 0x10, bits64: 0x80, encrypt: 0x10000 };

export interface Ext4Layout {
  blockSize: number;
  inodesPerGroup: number;
  inodeSize: number;
  inodeCount: number;
  groupCount: number;
  /** Where the group descriptor table starts, and each descriptor's size. */
  descriptorTableOffset: number;
  descriptorSize: number;
  /**
   * Groups whose descriptors sit in that one table. With meta_bg, the first meta group's (and s_first_meta_bg's)
   * still do; later ones are spread over the disk.
   */
  contiguousDescriptorGroups: number;
  is64Bit: boolean;
  hasFileTypes: boolean;
}

export async function isExt4(reader: ByteReader): Promise<boolean> {
  if (reader.size < 2048) return false;
  return (await reader.read(1024 + 56, 2)).readUInt16LE(0) === ext4Magic;
}

/** ext2/3/4's superblock (1024 bytes at offset 1024), checked enough that later offsets can be trusted. */
export async function readExt4Layout(reader: ByteReader): Promise<Ext4Layout> {
  const superblock = await reader.read(1024, 1024);
  refuse(superblock.readUInt16LE(56) === ext4Magic, 'not an ext2/3/4 filesystem');
  const inodeCount = superblock.readUInt32LE(0);
  const blocksCount = superblock.readUInt32LE(4);
  const firstDataBlock = superblock.readUInt32LE(20);
  const logBlockSize = superblock.readUInt32LE(24);
  const blocksPerGroup = superblock.readUInt32LE(32);
  const inodesPerGroup = superblock.readUInt32LE(40);
  const revision = superblock.readUInt32LE(76);
  const incompatible = superblock.readUInt32LE(96);
  refuse(logBlockSize <= 6, `ext4: block size 2^${10 + logBlockSize} is not one ext4 uses`);
  const blockSize = 1024 << logBlockSize;
  const inodeSize = revision >= 1 ? superblock.readUInt16LE(88) : 128;
  refuse(inodeSize >= 128 && inodeSize <= blockSize && (inodeSize & (inodeSize - 1)) === 0, 'ext4: bad inode size');
  refuse(blocksPerGroup > 0 && inodesPerGroup > 0 && inodeCount > 0, 'ext4: empty block or inode groups');
  const is64Bit = (incompatible & incompatibleFeatures.bits64) !== 0;
  const descriptorSize = is64Bit ? superblock.readUInt16LE(254) : 32;
  refuse(descriptorSize >= 32 && descriptorSize <= 1024, 'ext4: bad group descriptor size');
  refuse((incompatible & incompatibleFeatures.encrypt) === 0, 'ext4: the filesystem is encrypted');
  const blocksHigh = is64Bit ? superblock.readUInt32LE(0x150) : 0;
  const totalBlocks = blocksHigh * 2 ** 32 + blocksCount;
  return {
    blockSize,
    inodesPerGroup,
    inodeSize,
    inodeCount,
    groupCount: Math.ceil((totalBlocks - firstDataBlock) / blocksPerGroup),
    descriptorTableOffset: (firstDataBlock + 1) * blockSize,
    descriptorSize,
    contiguousDescriptorGroups:
      incompatible & incompatibleFeatures.metaBlockGroups
        ? Math.max(superblock.readUInt32LE(0x104), 1) * Math.floor(blockSize / descriptorSize)
        : Number.MAX_SAFE_INTEGER,
    is64Bit,
    hasFileTypes: (incompatible & incompatibleFeatures.fileType) !== 0,
  };
}

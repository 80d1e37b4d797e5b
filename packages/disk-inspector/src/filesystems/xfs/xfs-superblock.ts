import { refuse } from '../../inspection-error';
import type { ByteReader } from '../../source/byte-reader';

const xfsMagic = 0x58465342; // "XFSB"

export interface XfsLayout {
  blockSize: number;
  agBlocks: number;
  agBlockLog: number;
  inodeSize: number;
  inodesPerBlockLog: number;
  rootInode: number;
  directoryBlockSize: number;
  /** v5 (CRC) filesystems: RHEL 8/9 defaults; v4: RHEL 7. Block headers differ in size. */
  isV5: boolean;
  /** Directory entries carry a file type byte. */
  hasFileTypes: boolean;
}

export async function isXfs(reader: ByteReader): Promise<boolean> {
  if (reader.size < 512) return false;
  return (await reader.read(0, 4)).readUInt32BE(0) === xfsMagic;
}

/** XFS's primary superblock (sector 0, big-endian), checked enough that inode and block addresses can be trusted. */
export async function readXfsLayout(reader: ByteReader): Promise<XfsLayout> {
  const superblock = await reader.read(0, 512);
  refuse(superblock.readUInt32BE(0) === xfsMagic, 'not an XFS filesystem');
  const blockSize = superblock.readUInt32BE(4);
  const version = superblock.readUInt16BE(100) & 0x0f;
  const inodeSize = superblock.readUInt16BE(104);
  const blockLog = superblock.readUInt8(120);
  const inodeLog = superblock.readUInt8(122);
  const inodesPerBlockLog = superblock.readUInt8(123);
  const agBlockLog = superblock.readUInt8(124);
  const directoryBlockLog = superblock.readUInt8(192);
  refuse(version === 4 || version === 5, `XFS: superblock version ${version} is not one XFS writes`);
  refuse(blockLog >= 9 && blockLog <= 16 && blockSize === 2 ** blockLog, 'XFS: bad block size');
  refuse(inodeLog >= 8 && inodeLog <= 11 && inodeSize === 2 ** inodeLog, 'XFS: bad inode size');
  refuse(inodesPerBlockLog === blockLog - inodeLog && agBlockLog > 0 && agBlockLog <= 31, 'XFS: bad geometry');
  refuse(directoryBlockLog <= 16 - blockLog, 'XFS: bad directory block size');
  const rootInode = Number(superblock.readBigUInt64BE(56));
  refuse(Number.isSafeInteger(rootInode), 'XFS: bad root inode');
  const isV5 = version === 5;
  return {
    blockSize,
    agBlocks: superblock.readUInt32BE(84),
    agBlockLog,
    inodeSize,
    inodesPerBlockLog,
    rootInode,
    directoryBlockSize: blockSize << directoryBlockLog,
    isV5,
    hasFileTypes: isV5 ? (superblock.readUInt32BE(216) & 0x1) !== 0 : (superblock.readUInt32BE(200) & 0x200) !== 0,
  };
}

/** Byte offset of an inode: its number packs the allocation group, the block within it and the slot. */
export function inodeOffset(layout: XfsLayout, inode: number): number {
  const number = BigInt(inode);
  const slotBits = BigInt(layout.inodesPerBlockLog);
  const agInodeBits = BigInt(layout.agBlockLog) + slotBits;
  const ag = number >> agInodeBits;
  const agBlock = (number >> slotBits) & ((1n << BigInt(layout.agBlockLog)) - 1n);
  const slot = number & ((1n << slotBits) - 1n);
  return Number((ag * BigInt(layout.agBlocks) + agBlock) * BigInt(layout.blockSize) + slot * BigInt(layout.inodeSize));
}

/** A filesystem block number (allocation group in the high bits) as a linear block index. */
export function linearBlock(layout: XfsLayout, fsBlock: bigint): number {
  const ag = fsBlock >> BigInt(layout.agBlockLog);
  const agBlock = fsBlock & ((1n << BigInt(layout.agBlockLog)) - 1n);
  return Number(ag * BigInt(layout.agBlocks) + agBlock);
}

import { refuse } from '../../inspection-error';

const attributeMagic = 0xea020000;
const systemNamespace = 7;
const goodOldInodeBytes = 128;

/**
 * With inline_data, a small file or directory lives in the inode: the first 60 bytes in i_block, the rest in the
 * `system.data` extended attribute kept in the inode's extra space (after i_extra_isize). This is that rest, or
 * an empty buffer when the attribute is absent.
 */
export function readInlineDataTail(inode: Buffer): Buffer {
  if (inode.length <= goodOldInodeBytes + 4) return Buffer.alloc(0);
  const areaStart = goodOldInodeBytes + inode.readUInt16LE(goodOldInodeBytes);
  if (areaStart + 4 > inode.length || inode.readUInt32LE(areaStart) !== attributeMagic) return Buffer.alloc(0);
  const entriesStart = areaStart + 4;
  for (let at = entriesStart; at + 16 <= inode.length && inode.readUInt32LE(at) !== 0;) {
    const nameLength = inode.readUInt8(at);
    const namespace = inode.readUInt8(at + 1);
    const valueOffset = inode.readUInt16LE(at + 2);
    const valueSize = inode.readUInt32LE(at + 8);
    const name = inode.toString('latin1', at + 16, at + 16 + nameLength);
    if (namespace === systemNamespace && name === 'data') {
      const valueStart = entriesStart + valueOffset;
      refuse(valueStart + valueSize <= inode.length, 'ext4: an inline data attribute overflowing its inode');
      return Buffer.from(inode.subarray(valueStart, valueStart + valueSize));
    }
    at += (16 + nameLength + 3) & ~3;
  }
  return Buffer.alloc(0);
}

import { refuse } from '../../inspection-error';
import { inspectionLimits } from '../../limits';
import type { DirectoryEntry } from '../file-system';
import type { XfsLayout } from './xfs-superblock';

const blockFormMagics = new Set([0x58443242, 0x58444233]); // "XD2B" (v4), "XDB3" (v5): a one-block directory
const dataFormMagics = new Set([0x58443244, 0x58444433]); // "XD2D", "XDD3": data blocks of larger directories
const unusedTag = 0xffff;

/** A short directory kept inside its inode: a small header, then name, offset, optional type and inode number. */
export function parseShortformDirectory(fork: Buffer, layout: XfsLayout): DirectoryEntry[] {
  const count = fork.readUInt8(0);
  const inodeBytes = fork.readUInt8(1) > 0 ? 8 : 4;
  const entries: DirectoryEntry[] = [];
  let at = 2 + inodeBytes;
  for (let index = 0; index < count; index++) {
    refuse(at + 3 <= fork.length, 'XFS: a short-form directory overflowing its inode');
    const nameLength = fork.readUInt8(at);
    const nameStart = at + 3;
    const inodeAt = nameStart + nameLength + (layout.hasFileTypes ? 1 : 0);
    refuse(inodeAt + inodeBytes <= fork.length, 'XFS: a short-form directory overflowing its inode');
    const inode = inodeBytes === 8 ? Number(fork.readBigUInt64BE(inodeAt)) : fork.readUInt32BE(inodeAt);
    entries.push({ name: fork.toString('utf8', nameStart, nameStart + nameLength), ref: inode });
    at = inodeAt + inodeBytes;
  }
  return entries;
}

/** Entries of one directory data block (block or data form); free space and leaf/tail areas are skipped. */
export function parseDirectoryBlock(block: Buffer, layout: XfsLayout, entries: DirectoryEntry[]): void {
  const magic = block.readUInt32BE(0);
  const isBlockForm = blockFormMagics.has(magic);
  if (!isBlockForm && !dataFormMagics.has(magic)) return; // a hole or a free-index block
  let end = block.length;
  if (isBlockForm) {
    const leafCount = block.readUInt32BE(block.length - 8);
    end = block.length - 8 - leafCount * 8;
    refuse(end > 0, 'XFS: a directory block whose leaf area overflows it');
  }
  let at = layout.isV5 ? 64 : 16;
  while (at + 8 <= end) {
    if (block.readUInt16BE(at) === unusedTag) {
      const length = block.readUInt16BE(at + 2);
      refuse(length >= 8 && length % 8 === 0, 'XFS: a broken free entry in a directory block');
      at += length;
      continue;
    }
    const inode = Number(block.readBigUInt64BE(at));
    const nameLength = block.readUInt8(at + 8);
    const length = Math.ceil((8 + 1 + nameLength + (layout.hasFileTypes ? 1 : 0) + 2) / 8) * 8;
    refuse(at + length <= end, 'XFS: a directory entry overflowing its block');
    const name = block.toString('utf8', at + 9, at + 9 + nameLength);
    if (name !== '.' && name !== '..') entries.push({ name, ref: inode });
    refuse(entries.length <= inspectionLimits.directoryEntries, 'XFS: a directory with too many entries');
    at += length;
  }
}

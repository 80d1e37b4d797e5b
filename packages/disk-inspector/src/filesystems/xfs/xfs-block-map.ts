import { refuse } from '../../inspection-error';
import { inspectionLimits } from '../../limits';
import type { ByteReader } from '../../source/byte-reader';
import { countRun, type BlockRun } from '../block-runs';
import { linearBlock, type XfsLayout } from './xfs-superblock';

const btreeMagics = new Set([0x424d4150, 0x424d4133]); // "BMAP" (v4), "BMA3" (v5)

/**
 * Packed 128-bit extent records: unwritten flag (1 bit), file offset (54), start block (52), length (21).
 * Unwritten extents read as zeros, so they are left out like holes.
 */
export function readExtentRecords(layout: XfsLayout, records: Buffer, count: number, runs: BlockRun[]): void {
  refuse(count * 16 <= records.length, 'XFS: more extents than the fork holds');
  for (let index = 0; index < count; index++) {
    const high = records.readBigUInt64BE(index * 16);
    const low = records.readBigUInt64BE(index * 16 + 8);
    if (high >> 63n) continue;
    const logical = Number((high >> 9n) & ((1n << 54n) - 1n));
    const startBlock = ((high & 0x1ffn) << 43n) | (low >> 21n);
    runs.push({ logical, physical: linearBlock(layout, startBlock), count: Number(low & 0x1fffffn) });
    countRun(runs);
  }
}

/** The extents of a B+tree-format fork: the root in the inode, interior and leaf blocks on disk. */
export async function readBtreeRuns(reader: ByteReader, layout: XfsLayout, fork: Buffer): Promise<BlockRun[]> {
  const level = fork.readUInt16BE(0);
  const records = fork.readUInt16BE(2);
  const maxRecords = Math.floor((fork.length - 4) / 16);
  refuse(records <= maxRecords && level > 0 && level < inspectionLimits.treeDepth, 'XFS: a broken extent B+tree root');
  const runs: BlockRun[] = [];
  for (let index = 0; index < records; index++) {
    const pointer = fork.readBigUInt64BE(4 + maxRecords * 8 + index * 8);
    await walkBtreeBlock(reader, layout, pointer, level - 1, runs);
  }
  return runs;
}

async function walkBtreeBlock(
  reader: ByteReader,
  layout: XfsLayout,
  pointer: bigint,
  expectedLevel: number,
  runs: BlockRun[],
): Promise<void> {
  const block = await reader.read(linearBlock(layout, pointer) * layout.blockSize, layout.blockSize);
  refuse(btreeMagics.has(block.readUInt32BE(0)), 'XFS: an extent B+tree block without its magic');
  const level = block.readUInt16BE(4);
  const records = block.readUInt16BE(6);
  refuse(level === expectedLevel, 'XFS: an extent B+tree block at the wrong level');
  const headerBytes = layout.isV5 ? 72 : 24;
  if (level === 0) {
    readExtentRecords(layout, block.subarray(headerBytes), records, runs);
    return;
  }
  const maxRecords = Math.floor((layout.blockSize - headerBytes) / 16);
  refuse(records <= maxRecords, 'XFS: an extent B+tree block with too many records');
  for (let index = 0; index < records; index++) {
    const child = block.readBigUInt64BE(headerBytes + maxRecords * 8 + index * 8);
    await walkBtreeBlock(reader, layout, child, level - 1, runs);
  }
}

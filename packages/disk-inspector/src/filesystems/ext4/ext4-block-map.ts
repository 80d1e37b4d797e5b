import { refuse } from '../../inspection-error';
import { inspectionLimits } from '../../limits';
import type { ByteReader } from '../../source/byte-reader';
import { countRun, type BlockRun } from '../block-runs';

const extentMagic = 0xf30a;
const uninitializedLength = 32768;

/** The runs of an extent-mapped inode: a tree whose root sits in the inode's 60-byte i_block. */
export async function readExtentRuns(reader: ByteReader, blockSize: number, iBlock: Buffer): Promise<BlockRun[]> {
  const runs: BlockRun[] = [];
  await walkExtentNode(reader, blockSize, iBlock, runs, inspectionLimits.treeDepth);
  return runs;
}

async function walkExtentNode(
  reader: ByteReader,
  blockSize: number,
  node: Buffer,
  runs: BlockRun[],
  depthLeft: number,
): Promise<void> {
  refuse(node.readUInt16LE(0) === extentMagic, 'ext4: a broken extent tree');
  const entries = node.readUInt16LE(2);
  const depth = node.readUInt16LE(6);
  refuse(depth < depthLeft, 'ext4: an extent tree deeper than any real one');
  refuse(12 + entries * 12 <= node.length, 'ext4: an extent node overflowing its block');
  for (let index = 0; index < entries; index++) {
    const entry = node.subarray(12 + index * 12, 24 + index * 12);
    if (depth === 0) {
      const length = entry.readUInt16LE(4);
      if (length > uninitializedLength) continue; // allocated but never written: reads as zeros
      const physical = entry.readUInt16LE(6) * 2 ** 32 + entry.readUInt32LE(8);
      runs.push({ logical: entry.readUInt32LE(0), physical, count: length });
      countRun(runs);
    } else {
      const child = entry.readUInt16LE(8) * 2 ** 32 + entry.readUInt32LE(4);
      await walkExtentNode(reader, blockSize, await reader.read(child * blockSize, blockSize), runs, depth);
    }
  }
}

/** The runs of an ext2/3-style inode: 12 direct pointers, then single, double and triple indirect blocks. */
export async function readIndirectRuns(
  reader: ByteReader,
  blockSize: number,
  iBlock: Buffer,
  blockCount: number,
): Promise<BlockRun[]> {
  const runs: BlockRun[] = [];
  const perBlock = blockSize / 4;
  let logical = 0;
  const add = (physical: number): void => {
    if (physical !== 0) runs.push({ logical, physical, count: 1 });
    logical++;
    countRun(runs);
  };
  const walk = async (pointerBlock: number, level: number): Promise<void> => {
    const span = perBlock ** (level + 1);
    if (pointerBlock === 0) {
      logical += span;
      return;
    }
    const pointers = await reader.read(pointerBlock * blockSize, blockSize);
    for (let index = 0; index < perBlock && logical < blockCount; index++) {
      const pointer = pointers.readUInt32LE(index * 4);
      if (level === 0) add(pointer);
      else await walk(pointer, level - 1);
    }
  };
  for (let index = 0; index < 12 && logical < blockCount; index++) add(iBlock.readUInt32LE(index * 4));
  for (let level = 0; level < 3 && logical < blockCount; level++)
    await walk(iBlock.readUInt32LE((12 + level) * 4), level);
  return runs;
}

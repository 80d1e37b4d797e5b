import { refuse } from '../inspection-error';
import { inspectionLimits } from '../limits';
import type { ByteReader } from '../source/byte-reader';

/** A stretch of a file: logical blocks [logical, logical + count) stored at physical blocks from physical. */
export interface BlockRun {
  logical: number;
  physical: number;
  count: number;
}

/**
 * A file's first `size` bytes from its block runs; blocks no run covers (holes, unwritten extents) read as zeros.
 * Runs pointing outside the filesystem are refused by the reader.
 */
export async function readRuns(reader: ByteReader, runs: BlockRun[], blockSize: number, size: number): Promise<Buffer> {
  const content = Buffer.alloc(size);
  const blocksNeeded = Math.ceil(size / blockSize);
  for (const run of runs) {
    if (run.logical >= blocksNeeded) continue;
    const count = Math.min(run.count, blocksNeeded - run.logical);
    const start = run.logical * blockSize;
    const length = Math.min(count * blockSize, size - start);
    const bytes = await reader.read(run.physical * blockSize, length);
    bytes.copy(content, start);
  }
  return content;
}

export function countRun(runs: BlockRun[]): void {
  refuse(runs.length <= inspectionLimits.extentsPerFile, 'a file with more extents than any real one has');
}

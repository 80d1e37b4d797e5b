import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bufferReader, inspectDiskImage } from '../src';
import { buildExt4, buildPartitionedDisk, buildQcow2, buildXfs } from './support/disk-images';
import { prepareRootfs } from './support/rootfs';

const mutationsPerImage = 30;
let work: string;
const images = new Map<string, Buffer>();

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'disk-inspector-corrupted-'));
  buildExt4(prepareRootfs('rhel9'), join(work, 'rhel9.ext4'));
  buildPartitionedDisk(join(work, 'rhel9.ext4'), join(work, 'rhel9-gpt.raw'), 'gpt');
  buildXfs(prepareRootfs('rhel7'), join(work, 'rhel7.xfs'));
  images.set('ext4 on GPT', readFileSync(join(work, 'rhel9-gpt.raw')));
  images.set('XFS', readFileSync(join(work, 'rhel7.xfs')));
  buildQcow2(join(work, 'rhel9-gpt.raw'), join(work, 'rhel9.qcow2'), ['-c', '-o', 'cluster_size=4096']);
  images.set('compressed qcow2', readFileSync(join(work, 'rhel9.qcow2')));
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A small deterministic generator (mulberry32), so a failure names a seed that reproduces it. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let value = Math.imul(state ^ (state >>> 15), 1 | state);
    value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** Overwrites bytes in written (non-zero) blocks with random values or extremes. */
function corrupt(image: Buffer, written: number[], seed: number): Buffer {
  const next = random(seed);
  const copy = Buffer.from(image);
  for (let change = 0; change < 32; change++) {
    // Half the damage lands in the first written blocks: partition table, superblock, group descriptors or AG
    // headers, inode tables, the root directory. The rest anywhere data was written.
    const range = next() < 0.5 ? Math.min(written.length, 12) : written.length;
    const block = written[Math.floor(next() * range)] ?? 0;
    const at = block * 4096 + Math.floor(next() * 4096);
    const choice = next();
    const value = choice < 0.3 ? 0xff : choice < 0.5 ? 0x00 : Math.floor(next() * 256);
    for (let index = 0; index < 1 + Math.floor(next() * 8) && at + index < copy.length; index++)
      copy[at + index] = value;
  }
  return copy;
}

describe('corrupted real images: every one ends in a result, none throws or runs away', () => {
  it.each(['ext4 on GPT', 'XFS', 'compressed qcow2'])('%s with random metadata damage', async (name) => {
    const image = images.get(name) as Buffer;
    const written: number[] = [];
    for (let block = 0; block * 4096 < image.length; block++) {
      if (image.subarray(block * 4096, (block + 1) * 4096).some((byte) => byte !== 0)) written.push(block);
    }
    const statuses = { inspected: 0, error: 0 };
    for (let seed = 1; seed <= mutationsPerImage; seed++) {
      const started = Date.now();
      // A qcow2 image is told apart only in a file; the others are read straight from memory.
      const damaged = corrupt(image, written, seed);
      const path = join(work, 'damaged');
      if (name.endsWith('qcow2')) writeFileSync(path, damaged);
      const result = await inspectDiskImage(
        name.endsWith('qcow2') ? { kind: 'file', path } : { kind: 'reader', reader: bufferReader(damaged) },
        {},
        { timeoutMs: 5_000 },
      ).catch((error: unknown) => {
        throw new Error(`seed ${seed} threw: ${(error as Error).stack}`);
      });
      statuses[result.status]++;
      const ms = Date.now() - started;
      expect([seed, ms < 5_000]).toEqual([seed, true]);
    }
    expect(statuses.inspected + statuses.error).toBe(mutationsPerImage);
  });
});

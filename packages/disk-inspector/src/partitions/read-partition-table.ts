import { inspectionLimits } from '../limits';
import type { ByteReader } from '../source/byte-reader';

export interface Partition {
  /** "disk" for a disk with no partition table, else p1, p2 … in table order (logical MBR ones from p5). */
  name: string;
  offset: number;
  size: number;
  table: 'gpt' | 'mbr' | 'none';
}

const sectorSizes = [512, 4096];
const extendedTypes = new Set([0x05, 0x0f, 0x85]);
const gptProtectiveType = 0xee;

/**
 * The partitions of a raw disk. GPT is tried first (a GPT disk also carries a protective MBR), then MBR with its
 * chain of logical partitions; a disk with neither is one partition covering it all (a bare filesystem image).
 * Entries that point outside the disk are dropped rather than trusted.
 */
export async function readPartitionTable(disk: ByteReader): Promise<Partition[]> {
  const gpt = await readGpt(disk);
  if (gpt) return gpt;
  const mbr = await readMbr(disk);
  if (mbr) return mbr;
  return [{ name: 'disk', offset: 0, size: disk.size, table: 'none' }];
}

async function readGpt(disk: ByteReader): Promise<Partition[] | undefined> {
  for (const sectorSize of sectorSizes) {
    if (disk.size < sectorSize * 3) continue;
    const header = await disk.read(sectorSize, 92);
    if (header.toString('latin1', 0, 8) !== 'EFI PART') continue;
    const entriesLba = Number(header.readBigUInt64LE(72));
    const entryCount = Math.min(header.readUInt32LE(80), inspectionLimits.partitions);
    const entrySize = header.readUInt32LE(84);
    if (entrySize < 128 || entrySize > 4096 || entriesLba * sectorSize + entryCount * entrySize > disk.size) return [];
    const entries = await disk.read(entriesLba * sectorSize, entryCount * entrySize);
    const partitions: Partition[] = [];
    for (let index = 0; index < entryCount; index++) {
      const entry = entries.subarray(index * entrySize, (index + 1) * entrySize);
      if (entry.subarray(0, 16).every((byte) => byte === 0)) continue;
      const first = Number(entry.readBigUInt64LE(32));
      const last = Number(entry.readBigUInt64LE(40));
      addIfInside(partitions, disk, `p${index + 1}`, first * sectorSize, (last - first + 1) * sectorSize, 'gpt');
    }
    return partitions;
  }
  return undefined;
}

async function readMbr(disk: ByteReader): Promise<Partition[] | undefined> {
  if (disk.size < 512) return undefined;
  const sector = await disk.read(0, 512);
  if (sector.readUInt16LE(510) !== 0xaa55) return undefined;
  const entries = readMbrEntries(sector);
  // A bare filesystem can end its first sector with 55 AA too; a real table has sane status bytes.
  if (entries.some((entry) => entry.status !== 0 && entry.status !== 0x80)) return undefined;
  if (entries.some((entry) => entry.type === gptProtectiveType)) return [];
  const partitions: Partition[] = [];
  for (const [index, entry] of entries.entries()) {
    if (entry.type === 0 || entry.sectors === 0) continue;
    if (extendedTypes.has(entry.type)) await readLogicalPartitions(disk, entry.start * 512, partitions);
    else addIfInside(partitions, disk, `p${index + 1}`, entry.start * 512, entry.sectors * 512, 'mbr');
  }
  return partitions.length > 0 ? partitions : undefined;
}

/** Logical partitions: a chain of extended boot records, each holding one partition and a link to the next. */
async function readLogicalPartitions(disk: ByteReader, extendedStart: number, partitions: Partition[]): Promise<void> {
  let recordOffset = extendedStart;
  const seen = new Set<number>();
  for (let number = 5; partitions.length < inspectionLimits.partitions; number++) {
    if (seen.has(recordOffset) || recordOffset + 512 > disk.size) return;
    seen.add(recordOffset);
    const record = await disk.read(recordOffset, 512);
    if (record.readUInt16LE(510) !== 0xaa55) return;
    const [logical, next] = readMbrEntries(record);
    if (logical && logical.sectors > 0) {
      addIfInside(partitions, disk, `p${number}`, recordOffset + logical.start * 512, logical.sectors * 512, 'mbr');
    }
    if (!next || next.sectors === 0) return;
    recordOffset = extendedStart + next.start * 512;
  }
}

function readMbrEntries(sector: Buffer): { status: number; type: number; start: number; sectors: number }[] {
  return [0, 1, 2, 3].map((index) => {
    const at = 446 + index * 16;
    return {
      status: sector.readUInt8(at),
      type: sector.readUInt8(at + 4),
      start: sector.readUInt32LE(at + 8),
      sectors: sector.readUInt32LE(at + 12),
    };
  });
}

function addIfInside(
  partitions: Partition[],
  disk: ByteReader,
  name: string,
  offset: number,
  size: number,
  table: Partition['table'],
): void {
  if (offset > 0 && size > 0 && offset + size <= disk.size && partitions.length < inspectionLimits.partitions) {
    partitions.push({ name, offset, size, table });
  }
}

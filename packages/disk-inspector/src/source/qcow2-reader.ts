import { inflateRawSync } from 'node:zlib';
import { refuse } from '../inspection-error';
import { createBlockCache, readThroughBlocks } from './block-cache';
import { checkRange, type ByteReader } from './byte-reader';

const qcow2Magic = 0x514649fb; // "QFI\xfb"
const offsetMask = 0x00fffffffffffe00n;
const compressedFlag = 1n << 62n;
const zeroFlag = 1n;
/** Incompatible features this reader can ignore: the dirty bit (refcounts only) and zlib as the compression type. */
const dirtyBit = 1n;
const cachedClusters = 256;
const cachedTables = 64;

export function isQcow2(head: Buffer): boolean {
  return head.length >= 4 && head.readUInt32BE(0) === qcow2Magic;
}

/**
 * The guest disk inside a qcow2 image (QEMU's format, that of RHEL's KVM guest image): virtual offsets go through
 * the L1 and L2 tables to clusters in the file, compressed clusters are inflated (zlib), and unallocated or zero
 * clusters read as zeros. Backing files, encryption, external data files and extended L2 entries are refused.
 */
export async function openQcow2Reader(file: ByteReader): Promise<ByteReader> {
  refuse(file.size >= 104, 'qcow2: a header shorter than its fields');
  const header = await file.read(0, 104);
  refuse(header.readUInt32BE(0) === qcow2Magic, 'not a qcow2 image');
  const version = header.readUInt32BE(4);
  refuse(version === 2 || version === 3, `qcow2: version ${version} is not read`);
  refuse(header.readBigUInt64BE(8) === 0n, 'qcow2: the image needs a backing file, which is not here');
  const clusterBits = header.readUInt32BE(20);
  refuse(clusterBits >= 9 && clusterBits <= 21, `qcow2: cluster size 2^${clusterBits} is not one QEMU makes`);
  const size = Number(header.readBigUInt64BE(24));
  refuse(Number.isSafeInteger(size), 'qcow2: an impossible disk size');
  refuse(header.readUInt32BE(32) === 0, 'qcow2: the image is encrypted');
  const l1Entries = header.readUInt32BE(36);
  const l1Offset = Number(header.readBigUInt64BE(40));
  if (version === 3) {
    const incompatible = header.readBigUInt64BE(72);
    // Bit 3 (a compression type) is allowed only when that type is zlib (0).
    const compressionType = incompatible & 8n ? (await file.read(104, 1)).readUInt8(0) : 0;
    refuse((incompatible & ~(dirtyBit | 8n)) === 0n, `qcow2: incompatible features ${incompatible} are not read`);
    refuse(compressionType === 0, 'qcow2: zstd-compressed clusters are not read');
  }
  const clusterSize = 2 ** clusterBits;
  const l2Entries = clusterSize / 8;
  refuse(l1Entries * l2Entries * clusterSize >= size, 'qcow2: an L1 table too small for the disk');
  checkRange(file.size, l1Offset, l1Entries * 8);
  const l1 = await file.read(l1Offset, l1Entries * 8);
  const table = createBlockCache(cachedTables, (offset) => file.read(offset, clusterSize));

  const loadCluster = async (index: number): Promise<Buffer> => {
    const l1Entry = l1.readBigUInt64BE(Math.floor(index / l2Entries) * 8) & offsetMask;
    if (l1Entry === 0n) return Buffer.alloc(clusterSize);
    const l2 = await table(Number(l1Entry));
    const entry = l2.readBigUInt64BE((index % l2Entries) * 8);
    if (entry & compressedFlag) return inflateCluster(file, entry, clusterBits);
    const offset = entry & offsetMask;
    if (offset === 0n || entry & zeroFlag) return Buffer.alloc(clusterSize);
    return file.read(Number(offset), clusterSize);
  };
  const cluster = createBlockCache(cachedClusters, loadCluster);

  return {
    size,
    read: (offset, length) => {
      checkRange(size, offset, length);
      return readThroughBlocks(cluster, clusterSize, offset, length);
    },
  };
}

/** A compressed cluster: its descriptor packs the file offset and how many 512-byte sectors the data spans. */
async function inflateCluster(file: ByteReader, entry: bigint, clusterBits: number): Promise<Buffer> {
  const offsetBits = BigInt(62 - (clusterBits - 8));
  const offset = Number(entry & ((1n << offsetBits) - 1n));
  const sectors = Number((entry >> offsetBits) & ((1n << BigInt(clusterBits - 8)) - 1n)) + 1;
  const length = Math.min(sectors * 512 - (offset % 512), file.size - offset);
  const compressed = await file.read(offset, length);
  let inflated: Buffer;
  try {
    inflated = inflateRawSync(compressed, { maxOutputLength: 2 ** clusterBits });
  } catch (error) {
    refuse(false, `qcow2: a compressed cluster does not inflate (${(error as Error).message})`);
  }
  const cluster = Buffer.alloc(2 ** clusterBits);
  inflated.copy(cluster);
  return cluster;
}

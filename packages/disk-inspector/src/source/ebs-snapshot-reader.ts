import { createHash } from 'node:crypto';
import { GetSnapshotBlockCommand, ListSnapshotBlocksCommand, type EBSClient } from '@aws-sdk/client-ebs';
import { refuse } from '../inspection-error';
import { createBlockCache, readThroughBlocks } from './block-cache';
import { checkRange, type ByteReader } from './byte-reader';

/** EBS volumes reach 64 TiB; past that a listing is not a snapshot's. */
const maxVolumeGib = 64 * 1024;
const listPageSize = 10_000;
/** Blocks kept after reading (512 KiB each): directories and inode tables are read again and again. */
const cachedBlocks = 64;

/**
 * An EBS snapshot read through the EBS direct APIs: ListSnapshotBlocks once for the written blocks and their
 * tokens, then GetSnapshotBlock for just the blocks a read touches (blocks never written read as zeros), each
 * checked against its SHA-256. No copy, volume, attachment or instance: the original's whole pipeline.
 */
export async function openEbsSnapshotReader(client: EBSClient, snapshotId: string): Promise<ByteReader> {
  const tokens = new Map<number, string>();
  let blockSize = 0;
  let volumeGib = 0;
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new ListSnapshotBlocksCommand({ SnapshotId: snapshotId, MaxResults: listPageSize, NextToken: nextToken }),
    );
    blockSize = page.BlockSize ?? blockSize;
    volumeGib = page.VolumeSize ?? volumeGib;
    refuse(volumeGib > 0 && volumeGib <= maxVolumeGib, `EBS: snapshot ${snapshotId} has volume size ${volumeGib} GiB`);
    for (const block of page.Blocks ?? []) {
      if (block.BlockIndex !== undefined && block.BlockToken) tokens.set(block.BlockIndex, block.BlockToken);
    }
    refuse(tokens.size <= (volumeGib * 2 ** 30) / Math.max(blockSize, 1), 'EBS: more blocks than the volume holds');
    nextToken = page.NextToken;
  } while (nextToken);
  refuse(
    blockSize > 0 && (blockSize & (blockSize - 1)) === 0,
    `EBS: snapshot ${snapshotId} has block size ${blockSize}`,
  );

  const size = volumeGib * 2 ** 30;
  const fetchBlock = async (index: number): Promise<Buffer> => {
    const token = tokens.get(index);
    if (!token) return Buffer.alloc(blockSize);
    const response = await client.send(
      new GetSnapshotBlockCommand({ SnapshotId: snapshotId, BlockIndex: index, BlockToken: token }),
    );
    refuse(response.BlockData !== undefined, `EBS: block ${index} of ${snapshotId} came without data`);
    const data = Buffer.from(await response.BlockData.transformToByteArray());
    refuse(data.length === blockSize, `EBS: block ${index} of ${snapshotId} is ${data.length} bytes, not ${blockSize}`);
    if (response.Checksum) {
      const digest = createHash('sha256').update(data).digest('base64');
      refuse(digest === response.Checksum, `EBS: block ${index} of ${snapshotId} does not match its checksum`);
    }
    return data;
  };
  const block = createBlockCache(cachedBlocks, fetchBlock);

  return {
    size,
    read: (offset, length) => {
      checkRange(size, offset, length);
      return readThroughBlocks(block, blockSize, offset, length);
    },
  };
}

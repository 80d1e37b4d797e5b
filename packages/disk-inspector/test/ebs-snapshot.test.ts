import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { EBSClient, GetSnapshotBlockCommand, ListSnapshotBlocksCommand } from '@aws-sdk/client-ebs';
import { sdkStreamMixin } from '@smithy/util-stream';
import { mockClient } from 'aws-sdk-client-mock';
import { inspectDiskImage } from '../src';
import { openEbsSnapshotReader } from '../src/ebs';
import { buildExt4, buildPartitionedDisk } from './support/disk-images';
import { prepareRootfs } from './support/rootfs';

const blockSize = 512 * 1024;
const snapshotId = 'snap-0123456789abcdef0';
const ebs = mockClient(EBSClient);
let work: string;
let written: Map<number, Buffer>;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'disk-inspector-ebs-'));
  buildExt4(prepareRootfs('rhel9'), join(work, 'rhel9.ext4'), 24);
  buildPartitionedDisk(join(work, 'rhel9.ext4'), join(work, 'rhel9.raw'), 'gpt');
  // The snapshot's written blocks: what ListSnapshotBlocks names; all-zero blocks are never written to a snapshot.
  const disk = readFileSync(join(work, 'rhel9.raw'));
  written = new Map();
  for (let index = 0; index * blockSize < disk.length; index++) {
    const block = Buffer.alloc(blockSize);
    disk.copy(block, 0, index * blockSize, Math.min((index + 1) * blockSize, disk.length));
    if (block.some((byte) => byte !== 0)) written.set(index, block);
  }
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeEach(() => {
  ebs.reset();
  const indexes = [...written.keys()];
  const half = Math.ceil(indexes.length / 2);
  const listed = (part: number[]): { BlockIndex: number; BlockToken: string }[] =>
    part.map((index) => ({ BlockIndex: index, BlockToken: `token-${index}` }));
  ebs
    .on(ListSnapshotBlocksCommand, { SnapshotId: snapshotId, NextToken: undefined })
    .resolves({ Blocks: listed(indexes.slice(0, half)), BlockSize: blockSize, VolumeSize: 1, NextToken: 'page-2' })
    .on(ListSnapshotBlocksCommand, { SnapshotId: snapshotId, NextToken: 'page-2' })
    .resolves({ Blocks: listed(indexes.slice(half)), BlockSize: blockSize, VolumeSize: 1 });
  ebs.on(GetSnapshotBlockCommand).callsFake((input: { SnapshotId: string; BlockIndex: number; BlockToken: string }) => {
    const block = written.get(input.BlockIndex);
    if (!block || input.BlockToken !== `token-${input.BlockIndex}` || input.SnapshotId !== snapshotId) {
      throw new Error(`no block ${input.BlockIndex} with token ${input.BlockToken}`);
    }
    return {
      BlockData: sdkStreamMixin(Readable.from([block])),
      DataLength: block.length,
      Checksum: createHash('sha256').update(block).digest('base64'),
      ChecksumAlgorithm: 'SHA256',
    };
  });
});

describe('reading an AMI snapshot through the EBS direct APIs', () => {
  it('finds RHEL in the snapshot, fetching only the blocks it reads, each by its listed token', async () => {
    const result = await inspectDiskImage({
      kind: 'reader',
      reader: () => openEbsSnapshotReader(new EBSClient({}), snapshotId),
    });
    expect(result.status).toBe('inspected');
    expect(result.rhel.detected).toBe(true);
    expect(result.rhel.checks.signedPackages.evidence).toEqual([
      expect.objectContaining({ partition: 'p2', path: '/var/lib/rpm/rpmdb.sqlite' }),
    ]);
    expect(ebs.commandCalls(ListSnapshotBlocksCommand).map((call) => call.args[0].input)).toEqual([
      { SnapshotId: snapshotId, MaxResults: 10_000, NextToken: undefined },
      { SnapshotId: snapshotId, MaxResults: 10_000, NextToken: 'page-2' },
    ]);
    const fetched = ebs.commandCalls(GetSnapshotBlockCommand).map((call) => call.args[0].input.BlockIndex);
    expect(new Set(fetched).size).toBe(fetched.length); // each block once: later reads come from the cache
    expect(fetched.length).toBeLessThan(written.size);
  });

  it('refuses a block that does not match its checksum, and says which', async () => {
    ebs.on(GetSnapshotBlockCommand).resolves({
      BlockData: sdkStreamMixin(Readable.from([Buffer.alloc(blockSize, 1)])),
      DataLength: blockSize,
      Checksum: 'AAAA',
      ChecksumAlgorithm: 'SHA256',
    });
    const result = await inspectDiskImage({
      kind: 'reader',
      reader: () => openEbsSnapshotReader(new EBSClient({}), snapshotId),
    });
    expect(result.status).toBe('error');
    expect(result.errors).toEqual([expect.stringMatching(/^EBS: block 0 of snap-0123456789abcdef0 does not match/)]);
  });

  it('reports a snapshot it may not read as an error, not a crash', async () => {
    ebs
      .on(ListSnapshotBlocksCommand)
      .rejects(Object.assign(new Error('Access denied'), { name: 'AccessDeniedException' }));
    const result = await inspectDiskImage({
      kind: 'reader',
      reader: () => openEbsSnapshotReader(new EBSClient({}), snapshotId),
    });
    expect(result).toEqual(expect.objectContaining({ status: 'error', errors: ['Access denied'] }));
  });
});

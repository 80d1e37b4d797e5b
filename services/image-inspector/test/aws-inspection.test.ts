import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { EBSClient, GetSnapshotBlockCommand, ListSnapshotBlocksCommand } from '@aws-sdk/client-ebs';
import { DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import {
  createCloudAccountRpc,
  ingestActivityLogRpc,
  listCloudAccountsRpc,
  listMachineImagesRpc,
  type MachineImage,
} from '@overcast/contracts';
import { buildExt4, buildPartitionedDisk, buildXfs, prepareRootfs } from '@overcast/disk-inspector/testing';
import { sdkStreamMixin } from '@smithy/util-stream';
import { mockClient } from 'aws-sdk-client-mock';
import { createAwsImageSnapshots } from '../src/data-access/aws/aws-image-snapshots';
import type { AwsAccountAccess } from '../src/domain/aws-account-access';
import { cloudTrailFile, runInstances } from './support/cloudtrail';
import { createImageInspectorEnvironment } from './support/image-inspector-environment';

const sts = mockClient(STSClient);
const ec2 = mockClient(EC2Client);
const ebs = mockClient(EBSClient);
const blockSize = 512 * 1024;
const roleArn = 'arn:aws:iam::210987654321:role/cloudigrade';
const tenantId = 'tenant-aws-inspection';
const awsError = (name: string) => Object.assign(new Error(name), { name });

/** A disk as an EBS snapshot holds it: its written 512 KiB blocks (an all-zero block is never written). */
function snapshotBlocks(disk: Buffer): Map<number, Buffer> {
  const blocks = new Map<number, Buffer>();
  for (let index = 0; index * blockSize < disk.length; index++) {
    const block = Buffer.alloc(blockSize);
    disk.copy(block, 0, index * blockSize, Math.min((index + 1) * blockSize, disk.length));
    if (block.some((byte) => byte !== 0)) blocks.set(index, block);
  }
  return blocks;
}

const images = {
  'ami-rhel9': { snapshot: 'snap-rhel9ext4', encrypted: false, platform: undefined },
  'ami-rhel7': { snapshot: 'snap-rhel7xfs', encrypted: false, platform: undefined },
  'ami-windows': { snapshot: 'snap-windows', encrypted: false, platform: 'Windows' },
  'ami-sealed': { snapshot: 'snap-sealed', encrypted: true, platform: undefined },
} as const;

let work: string;
const snapshots = new Map<string, Map<number, Buffer>>();
const clock = { at: new Date('2026-12-04T12:00:00Z'), now: () => clock.at };
let env: Awaited<ReturnType<typeof createImageInspectorEnvironment>>;

/** Registration's findings, as the account access reports them (its own AWS calls are aws.test.ts's). */
const registration: AwsAccountAccess = {
  registerAccount: async () => ({
    instances: Object.keys(images).map((imageId, index) => ({
      cloudInstanceId: `i-0${index}`,
      region: 'eu-west-1',
      imageId,
      instanceType: 'm5.large',
      subnet: 'subnet-1',
    })),
    images: Object.keys(images).map((cloudImageId) => ({
      cloudImageId,
      name: cloudImageId,
      ownerAccountId: '210987654321',
      windows: false,
      openshift: false,
    })),
  }),
};

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'aws-inspection-'));
  buildExt4(prepareRootfs('rhel9'), join(work, 'rhel9.ext4'), 24);
  buildPartitionedDisk(join(work, 'rhel9.ext4'), join(work, 'rhel9.raw'), 'gpt');
  buildXfs(prepareRootfs('rhel7'), join(work, 'rhel7.xfs'));
  buildPartitionedDisk(join(work, 'rhel7.xfs'), join(work, 'rhel7.raw'), 'dos');
  snapshots.set('snap-rhel9ext4', snapshotBlocks(readFileSync(join(work, 'rhel9.raw'))));
  snapshots.set('snap-rhel7xfs', snapshotBlocks(readFileSync(join(work, 'rhel7.raw'))));
  env = await createImageInspectorEnvironment({
    settings: { AWS_INSPECTION_MAX_ATTEMPTS: '3', AWS_INSPECTION_RETRY_BASE_MS: '60000' },
    aws: registration,
    awsImages: createAwsImageSnapshots({ homeRegion: 'us-east-1' }),
    clock,
  });
}, 60_000);
afterAll(async () => {
  await env?.close();
  rmSync(work, { recursive: true, force: true });
});

beforeEach(() => {
  for (const client of [sts, ec2, ebs]) client.reset();
  sts.on(AssumeRoleCommand).resolves({
    Credentials: { AccessKeyId: 'AKIA', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date() },
  });
  for (const [imageId, image] of Object.entries(images)) {
    ec2.on(DescribeImagesCommand, { ImageIds: [imageId] }).resolves({
      Images: [
        {
          ImageId: imageId,
          Platform: image.platform,
          // Tagged in EC2 after registration (whose description said untagged): the job's describe tells it.
          Tags: imageId === 'ami-rhel9' ? [{ Key: 'cloudigrade-ocp-present', Value: '' }] : [],
          RootDeviceName: '/dev/sda1',
          BlockDeviceMappings: [
            { DeviceName: '/dev/sdb', Ebs: { SnapshotId: 'snap-data' } },
            { DeviceName: '/dev/sda1', Ebs: { SnapshotId: image.snapshot, Encrypted: image.encrypted } },
          ],
        },
      ],
    });
  }
  ebs.on(ListSnapshotBlocksCommand).callsFake((input: { SnapshotId: string }) => {
    const blocks = snapshots.get(input.SnapshotId);
    if (!blocks) throw awsError('ResourceNotFoundException');
    return {
      Blocks: [...blocks.keys()].map((index) => ({ BlockIndex: index, BlockToken: `${input.SnapshotId}-${index}` })),
      BlockSize: blockSize,
      VolumeSize: 1,
    };
  });
  ebs.on(GetSnapshotBlockCommand).callsFake((input: { SnapshotId: string; BlockIndex: number; BlockToken: string }) => {
    const block = snapshots.get(input.SnapshotId)?.get(input.BlockIndex);
    if (!block || input.BlockToken !== `${input.SnapshotId}-${input.BlockIndex}`) throw awsError('ValidationException');
    return {
      BlockData: sdkStreamMixin(Readable.from([block])),
      DataLength: block.length,
      Checksum: createHash('sha256').update(block).digest('base64'),
      ChecksumAlgorithm: 'SHA256',
    };
  });
});

async function imagesById(): Promise<Record<string, MachineImage>> {
  const page = await env.client.call(listMachineImagesRpc, { tenantId, limit: 100, offset: 0 });
  return Object.fromEntries(page.results.map((image) => [image.cloudImageId, image]));
}

describe('the AWS inspection job', () => {
  it('reads each AMI root snapshot through the EBS direct APIs; Windows and encrypted ones are marked unread', async () => {
    // The XFS snapshot cannot be read on the first try: the role lacks ebs:ListSnapshotBlocks for a while.
    ebs.on(ListSnapshotBlocksCommand, { SnapshotId: 'snap-rhel7xfs' }).rejects(awsError('AccessDeniedException'));
    await env.client.call(createCloudAccountRpc, { tenantId, type: 'aws', accountArn: roleArn });
    expect(Object.values(await imagesById()).map((image) => image.status)).toEqual([
      'pending',
      'pending',
      'pending',
      'pending',
    ]);
    // Triaged: left to this job, and saying so.
    expect(await env.service.triageImagesNow()).toBe(4);
    expect(Object.values(await imagesById()).map((image) => [image.status, image.statusReason])).toEqual(
      Array(4).fill(['pending', 'waiting for the AWS inspection job to read its root snapshot']),
    );

    expect(await env.service.inspectAwsImagesNow()).toBe(4);
    const first = await imagesById();
    expect(first['ami-rhel9']).toMatchObject({
      status: 'inspected',
      rhelDetected: true,
      openshiftDetected: true,
      rhelSignedPackagesFound: true,
      inspectionError: null,
      inspection: {
        source: 'ebs',
        rhel: {
          version: '9.4',
          checks: {
            signedPackages: {
              evidence: [expect.objectContaining({ partition: 'p2', path: '/var/lib/rpm/rpmdb.sqlite' })],
            },
          },
        },
      },
    });
    expect(first['ami-windows']).toMatchObject({
      status: 'inspected',
      platform: 'windows',
      openshiftDetected: false,
      rhelDetected: false,
      inspection: { source: 'none', skipped: 'windows' },
    });
    expect(first['ami-sealed']).toMatchObject({
      status: 'inspected',
      isEncrypted: true,
      inspection: { source: 'none', skipped: 'encrypted' },
    });
    expect(first['ami-rhel9']).toMatchObject({ statusReason: null });
    expect(first['ami-rhel7']).toMatchObject({
      status: 'preparing',
      inspectionError: 'AccessDeniedException',
      statusReason: null,
    });

    // The exact calls: the customer's role, each image described, only the readable snapshots listed and read.
    expect(sts.commandCalls(AssumeRoleCommand)[0]!.args[0].input).toEqual({
      RoleArn: roleArn,
      RoleSessionName: 'cloudigrade-210987654321',
    });
    expect(ec2.commandCalls(DescribeImagesCommand).map((call) => call.args[0].input.ImageIds)).toEqual(
      expect.arrayContaining([['ami-rhel9'], ['ami-rhel7'], ['ami-windows'], ['ami-sealed']]),
    );
    expect(
      ebs
        .commandCalls(ListSnapshotBlocksCommand)
        .map((call) => call.args[0].input.SnapshotId)
        .sort(),
    ).toEqual(['snap-rhel7xfs', 'snap-rhel9ext4']);
    const read = ebs.commandCalls(GetSnapshotBlockCommand).map((call) => call.args[0].input);
    expect(read.every((input) => input.SnapshotId === 'snap-rhel9ext4')).toBe(true);
    expect(read.length).toBeLessThan(snapshots.get('snap-rhel9ext4')!.size);

    // Not due before its backoff (60 s doubled per failure, jittered: at least 30 s), then read from XFS.
    expect(await env.service.inspectAwsImagesNow()).toBe(0);
    ebs.on(ListSnapshotBlocksCommand, { SnapshotId: 'snap-rhel7xfs' }).callsFake(() => ({
      Blocks: [...snapshots.get('snap-rhel7xfs')!.keys()].map((index) => ({
        BlockIndex: index,
        BlockToken: `snap-rhel7xfs-${index}`,
      })),
      BlockSize: blockSize,
      VolumeSize: 1,
    }));
    clock.at = new Date(clock.at.getTime() + 61_000);
    expect(await env.service.inspectAwsImagesNow()).toBe(1);
    expect((await imagesById())['ami-rhel7']).toMatchObject({
      status: 'inspected',
      rhelDetected: true,
      inspectionError: null,
      inspection: { source: 'ebs', rhel: { checks: { releaseFiles: { found: true } } } },
    });
  });

  it('reads an image that needed an upload once an instance of a registered AWS account runs it', async () => {
    const ingest = (accountId: number, instanceId: string) =>
      env.client.call(ingestActivityLogRpc, {
        tenantId,
        accountId,
        contentBase64: cloudTrailFile([runInstances('2026-12-02T00:00:00Z', instanceId, 'ami-late')]).toString(
          'base64',
        ),
      });
    const lab = await env.client.call(createCloudAccountRpc, { tenantId, type: 'local', name: 'lab' });
    await ingest(lab.id, 'i-lab');
    await env.service.triageImagesNow();
    expect((await imagesById())['ami-late']).toMatchObject({ status: 'needs_upload' });
    expect(await env.service.inspectAwsImagesNow()).toBe(0);

    ec2.on(DescribeImagesCommand, { ImageIds: ['ami-late'] }).resolves({
      Images: [
        {
          ImageId: 'ami-late',
          RootDeviceName: '/dev/sda1',
          BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Ebs: { SnapshotId: 'snap-rhel9ext4' } }],
        },
      ],
    });
    const { results: accounts } = await env.client.call(listCloudAccountsRpc, { tenantId, limit: 10, offset: 0 });
    await ingest(accounts.find((account) => account.type === 'aws')!.id, 'i-late');
    expect(await env.service.inspectAwsImagesNow()).toBe(1);
    expect((await imagesById())['ami-late']).toMatchObject({
      status: 'inspected',
      statusReason: null,
      rhelDetected: true,
      inspection: { source: 'ebs' },
    });
  });

  it('leaves an image error with the reason after its last try, and one EC2 no longer knows at once', async () => {
    const other = 'tenant-aws-inspection-failures';
    const failing: AwsAccountAccess = {
      registerAccount: async () => ({
        instances: ['ami-gone', 'ami-broken'].map((imageId, index) => ({
          cloudInstanceId: `i-f${index}`,
          region: 'eu-west-1',
          imageId,
          instanceType: null,
          subnet: null,
        })),
        images: [],
      }),
    };
    const failingEnv = await createImageInspectorEnvironment({
      // One image at a time: a pass still tries both (it goes on while images are due).
      settings: {
        AWS_INSPECTION_MAX_ATTEMPTS: '2',
        AWS_INSPECTION_RETRY_BASE_MS: '1000',
        AWS_INSPECTION_BATCH_SIZE: '1',
      },
      aws: failing,
      awsImages: createAwsImageSnapshots({ homeRegion: 'us-east-1' }),
      clock,
    });
    try {
      ec2.on(DescribeImagesCommand, { ImageIds: ['ami-gone'] }).rejects(awsError('InvalidAMIID.NotFound'));
      ec2.on(DescribeImagesCommand, { ImageIds: ['ami-broken'] }).rejects(awsError('RequestLimitExceeded'));
      await failingEnv.client.call(createCloudAccountRpc, {
        tenantId: other,
        type: 'aws',
        accountArn: 'arn:aws:iam::111122223333:role/cloudigrade',
      });
      expect(await failingEnv.service.inspectAwsImagesNow()).toBe(2);
      const page = async () =>
        Object.fromEntries(
          (await failingEnv.client.call(listMachineImagesRpc, { tenantId: other, limit: 10, offset: 0 })).results.map(
            (image) => [image.cloudImageId, image],
          ),
        );
      expect(await page()).toMatchObject({
        'ami-gone': { status: 'error', inspectionError: 'EC2 no longer knows ami-gone in eu-west-1' },
        'ami-broken': { status: 'preparing', inspectionError: 'RequestLimitExceeded' },
      });
      clock.at = new Date(clock.at.getTime() + 2_000);
      expect(await failingEnv.service.inspectAwsImagesNow()).toBe(1);
      expect((await page())['ami-broken']).toMatchObject({ status: 'error', inspectionError: 'RequestLimitExceeded' });
      expect(await failingEnv.service.inspectAwsImagesNow()).toBe(0);
    } finally {
      await failingEnv.close();
    }
  });
});

import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import {
  CloudTrailClient,
  CreateTrailCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
  UpdateTrailCommand,
} from '@aws-sdk/client-cloudtrail';
import {
  CopyImageCommand,
  CreateTagsCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeRegionsCommand,
  DescribeSnapshotAttributeCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  ModifySnapshotAttributeCommand,
} from '@aws-sdk/client-ec2';
import { EBSClient, GetSnapshotBlockCommand, ListSnapshotBlocksCommand } from '@aws-sdk/client-ebs';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import {
  createCloudAccountRpc,
  listMachineImagesRpc,
  listPowerEventsRpc,
  listTrackedInstancesRpc,
} from '@overcast/contracts';
import { mockClient } from 'aws-sdk-client-mock';
import { createAwsAccountAccess } from '../src/data-access/aws/register-aws-account';
import { createSqsCloudTrailNotifications } from '../src/data-access/aws/sqs-cloudtrail-notifications';
import { createImageInspectorEnvironment } from './support/image-inspector-environment';
import { powerOff, runInstances } from './support/cloudtrail';

const sts = mockClient(STSClient);
const ec2 = mockClient(EC2Client);
const cloudTrail = mockClient(CloudTrailClient);
const sqs = mockClient(SQSClient);
const s3 = mockClient(S3Client);
const ebs = mockClient(EBSClient);

const awsError = (name: string) => Object.assign(new Error(name), { name });
const dryRunCommands = [
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  DescribeSnapshotAttributeCommand,
  ModifySnapshotAttributeCommand,
  CopyImageCommand,
  CreateTagsCommand,
] as const;

/** A customer account whose role cloudigrade may assume, with one RHEL-ish and one Windows instance running. */
function customerAccount() {
  for (const client of [sts, ec2, cloudTrail, sqs, s3, ebs]) client.reset();
  sts.on(AssumeRoleCommand).resolves({
    Credentials: { AccessKeyId: 'AKIA', SecretAccessKey: 'secret', SessionToken: 'token', Expiration: new Date() },
  });
  for (const command of dryRunCommands)
    ec2.on(command as typeof DescribeImagesCommand, { DryRun: true }).rejects(awsError('DryRunOperation'));
  // The EBS direct APIs have no DryRun: on a snapshot that does not exist, a permitted call answers "not found".
  ebs.on(ListSnapshotBlocksCommand).rejects(awsError('ResourceNotFoundException'));
  ebs.on(GetSnapshotBlockCommand).rejects(awsError('ValidationException'));
  ec2.on(DescribeRegionsCommand).resolves({ Regions: [{ RegionName: 'us-east-1' }, { RegionName: 'eu-west-1' }] });
  ec2.on(DescribeInstancesCommand, { Filters: [{ Name: 'instance-state-name', Values: ['running'] }] }).resolves({
    Reservations: [
      {
        Instances: [
          { InstanceId: 'i-linux', ImageId: 'ami-ocp', InstanceType: 'm5.large', SubnetId: 'subnet-a' },
          { InstanceId: 'i-windows', ImageId: 'ami-windows', InstanceType: 't3.micro', SubnetId: 'subnet-a' },
        ],
      },
    ],
  });
  ec2.on(DescribeImagesCommand, { ImageIds: ['ami-ocp', 'ami-windows'] }).resolves({
    Images: [
      {
        ImageId: 'ami-ocp',
        Name: 'ocp',
        OwnerId: '111122223333',
        Tags: [{ Key: 'cloudigrade-ocp-present', Value: '' }],
      },
      // EC2 answers `windows`; the SDK's type spells it `Windows`.
      { ImageId: 'ami-windows', Name: 'win', OwnerId: '111122223333', Platform: 'windows' as never },
    ],
  });
  cloudTrail.on(CreateTrailCommand).resolves({});
  cloudTrail.on(PutEventSelectorsCommand).resolves({});
  cloudTrail.on(StartLoggingCommand).resolves({});
}

type Environment = Awaited<ReturnType<typeof createImageInspectorEnvironment>>;
let env: Environment;

beforeAll(async () => {
  env = await createImageInspectorEnvironment({
    aws: createAwsAccountAccess({ cloudTrailBucket: 'cloudigrade-trails', homeRegion: 'us-east-1' }),
    cloudTrailNotifications: createSqsCloudTrailNotifications({
      queueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/cloudtrail',
      sqs: new SQSClient({ region: 'us-east-1' }),
      s3: new S3Client({ region: 'us-east-1' }),
    }),
  });
});
afterAll(async () => {
  await env?.close();
});

const register = (tenantId: string, accountArn: string) =>
  env.client.call(createCloudAccountRpc, { tenantId, type: 'aws', accountArn, name: accountArn.slice(-8) });

describe('registering an AwsAccount (FACTS 4.1)', () => {
  it('assumes the role, verifies the policy, makes the trail and tracks the running instances and their images', async () => {
    customerAccount();
    const tenantId = 'tenant-aws-ok';
    const arn = 'arn:aws:iam::111122223333:role/cloudigrade';
    const account = await register(tenantId, arn);
    expect(account).toMatchObject({ type: 'aws', awsAccountId: '111122223333', accountArn: arn });

    expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input).toEqual({
      RoleArn: arn,
      RoleSessionName: 'cloudigrade-111122223333',
    });
    for (const command of dryRunCommands) {
      expect(ec2.commandCalls(command as typeof DescribeImagesCommand, { DryRun: true })).toHaveLength(1);
    }
    expect(ebs.commandCalls(ListSnapshotBlocksCommand).map((call) => call.args[0].input)).toEqual([
      { SnapshotId: 'snap-00000000000000000', MaxResults: 100 },
    ]);
    expect(ebs.commandCalls(GetSnapshotBlockCommand).map((call) => call.args[0].input)).toEqual([
      { SnapshotId: 'snap-00000000000000000', BlockIndex: 0, BlockToken: 'AAAAAAAAAAAAAAAA' },
    ]);
    expect(cloudTrail.commandCalls(CreateTrailCommand)[0]?.args[0].input).toEqual({
      Name: 'cloudigrade-111122223333',
      S3BucketName: 'cloudigrade-trails',
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
    });
    expect(cloudTrail.commandCalls(PutEventSelectorsCommand)[0]?.args[0].input).toEqual({
      TrailName: 'cloudigrade-111122223333',
      EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }],
    });
    expect(cloudTrail.commandCalls(StartLoggingCommand)[0]?.args[0].input).toEqual({
      Name: 'cloudigrade-111122223333',
    });
    // Every region's running instances: two regions described.
    expect(
      ec2.commandCalls(DescribeInstancesCommand, { Filters: [{ Name: 'instance-state-name', Values: ['running'] }] }),
    ).toHaveLength(2);

    const { results: instances } = await env.client.call(listTrackedInstancesRpc, { tenantId, limit: 10, offset: 0 });
    // The mock answers every region alike: the same two instances, kept once each (the first region's).
    expect(instances.map((instance) => [instance.cloudInstanceId, instance.region])).toEqual([
      ['i-linux', 'us-east-1'],
      ['i-windows', 'us-east-1'],
    ]);
    const { results: events } = await env.client.call(listPowerEventsRpc, { tenantId, limit: 10, offset: 0 });
    expect(events.map((event) => event.eventType)).toEqual(['power_on', 'power_on']);
    const { results: images } = await env.client.call(listMachineImagesRpc, { tenantId, limit: 10, offset: 0 });
    expect(images.find((image) => image.cloudImageId === 'ami-windows')).toMatchObject({
      platform: 'windows',
      status: 'inspected',
    });
    expect(images.find((image) => image.cloudImageId === 'ami-ocp')).toMatchObject({
      openshift: true,
      status: 'pending',
    });
  });

  it('refuses in cloudigrade words: a role it may not assume, a policy short of an action, a trail it may not make', async () => {
    const arn = 'arn:aws:iam::444455556666:role/cloudigrade';
    customerAccount();
    sts.on(AssumeRoleCommand).rejects(awsError('AccessDenied'));
    await expect(register('tenant-aws-no', arn)).rejects.toMatchObject({
      details: [{ path: 'account_arn', message: `Permission denied for ARN "${arn}"` }],
    });

    customerAccount();
    ec2.on(CopyImageCommand, { DryRun: true }).rejects(awsError('UnauthorizedOperation'));
    await expect(register('tenant-aws-no', arn)).rejects.toMatchObject({
      details: [
        { path: 'account_arn', message: 'Account verification failed.' },
        { path: 'account_arn', message: 'Access denied for policy action "ec2:CopyImage".' },
      ],
    });

    // A role without the EBS direct APIs would register and then fail every inspection: refused the same way.
    customerAccount();
    ec2.on(DescribeSnapshotsCommand, { DryRun: true }).rejects(awsError('UnauthorizedOperation'));
    ebs.on(ListSnapshotBlocksCommand).rejects(awsError('AccessDeniedException'));
    ebs.on(GetSnapshotBlockCommand).rejects(awsError('AccessDeniedException'));
    await expect(register('tenant-aws-no', arn)).rejects.toMatchObject({
      details: [
        { path: 'account_arn', message: 'Account verification failed.' },
        { path: 'account_arn', message: 'Access denied for policy action "ec2:DescribeSnapshots".' },
        { path: 'account_arn', message: 'Access denied for policy action "ebs:ListSnapshotBlocks".' },
        { path: 'account_arn', message: 'Access denied for policy action "ebs:GetSnapshotBlock".' },
      ],
    });
    customerAccount();
    ebs.on(GetSnapshotBlockCommand).rejects(awsError('AccessDeniedException'));
    await expect(register('tenant-aws-no', arn)).rejects.toMatchObject({
      details: [
        { path: 'account_arn', message: 'Account verification failed.' },
        { path: 'account_arn', message: 'Access denied for policy action "ebs:GetSnapshotBlock".' },
      ],
    });
    // Throttled is no verdict on the role: registration fails as on any AWS error, naming no policy action.
    customerAccount();
    ebs.on(ListSnapshotBlocksCommand).rejects(awsError('RequestThrottledException'));
    const throttled = await register('tenant-aws-no', arn).catch((error: unknown) => error);
    expect(throttled).toMatchObject({ code: 'internal' });
    expect(JSON.stringify(throttled)).not.toContain('policy action');

    customerAccount();
    cloudTrail.on(CreateTrailCommand).rejects(awsError('TrailAlreadyExistsException'));
    cloudTrail.on(UpdateTrailCommand).rejects(awsError('AccessDeniedException'));
    await expect(register('tenant-aws-no', arn)).rejects.toMatchObject({
      details: [{ path: 'account_arn', message: `Access denied to create CloudTrail for ARN "${arn}"` }],
    });
  });

  it('refuses an ARN registered before, and another ARN of an AWS account registered before', async () => {
    customerAccount();
    const arn = 'arn:aws:iam::777788889999:role/cloudigrade';
    await register('tenant-aws-dup', arn);
    await expect(register('tenant-aws-dup-2', arn)).rejects.toMatchObject({
      details: [{ path: 'account_arn', message: 'aws account with this account arn already exists.' }],
    });
    await expect(register('tenant-aws-dup-2', 'arn:aws:iam::777788889999:role/other')).rejects.toMatchObject({
      details: [{ path: 'account_arn', message: 'An ARN already exists for account "777788889999"' }],
    });
  });
});

describe('CloudTrail through SQS and S3 (FACTS 4.3)', () => {
  it('stores each notified file under the account its records name, and leaves a notification for an unknown account', async () => {
    customerAccount();
    await register('tenant-trail', 'arn:aws:iam::123412341234:role/cloudigrade');
    const notification = (key: string) =>
      JSON.stringify({ Records: [{ s3: { bucket: { name: 'trails' }, object: { key } } }] });
    sqs.on(ReceiveMessageCommand).resolves({
      Messages: [
        { ReceiptHandle: 'known', Body: notification('AWSLogs/123412341234/known.json.gz') },
        { ReceiptHandle: 'unknown', Body: notification('AWSLogs/999999999999/unknown.json.gz') },
      ],
    });
    const file = (accountId: string, instanceId: string) => {
      const records = [
        runInstances('2018-01-01T00:00:00Z', instanceId, 'ami-trail'),
        powerOff('2018-01-01T02:00:00Z', instanceId),
      ];
      for (const record of records) (record.userIdentity as { accountId: string }).accountId = accountId;
      return gzipSync(JSON.stringify({ Records: records }));
    };
    const known = file('123412341234', 'i-trail');
    const unknown = file('999999999999', 'i-stranger');
    s3.on(GetObjectCommand, { Key: 'AWSLogs/123412341234/known.json.gz' }).callsFake(() => ({
      Body: Readable.from([known]),
    }));
    s3.on(GetObjectCommand, { Key: 'AWSLogs/999999999999/unknown.json.gz' }).callsFake(() => ({
      Body: Readable.from([unknown]),
    }));
    sqs.on(DeleteMessageCommand).resolves({});

    expect(await env.service.pollCloudTrailNow()).toEqual({ notifications: 1, eventsAdded: 2 });
    expect(sqs.commandCalls(DeleteMessageCommand).map((call) => call.args[0].input)).toEqual([
      { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/cloudtrail', ReceiptHandle: 'known' },
    ]);
    const { results } = await env.client.call(listTrackedInstancesRpc, {
      tenantId: 'tenant-trail',
      limit: 10,
      offset: 0,
    });
    expect(results.map((instance) => instance.cloudInstanceId)).toContain('i-trail');
    // Delivered again (SQS at least once): nothing added.
    sqs.on(ReceiveMessageCommand).resolves({
      Messages: [{ ReceiptHandle: 'known-again', Body: notification('AWSLogs/123412341234/known.json.gz') }],
    });
    expect(await env.service.pollCloudTrailNow()).toEqual({ notifications: 1, eventsAdded: 0 });
  });
});

import {
  CloudTrailClient,
  CreateTrailCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
  UpdateTrailCommand,
} from '@aws-sdk/client-cloudtrail';
import { EBSClient } from '@aws-sdk/client-ebs';
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
  type Instance,
} from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { AppError } from '@overcast/contracts';
import type { AwsAccountAccess, DiscoveredImage, DiscoveredInstance } from '../../domain/aws-account-access';
import { openshiftTagKey } from '../../domain/activity-records';
import { deniedEbsActions } from './ebs-permission-probes';

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };

export interface AwsRegistrationSettings {
  /** The bucket customers' trails write to (cloudigrade's CloudTrail bucket). */
  cloudTrailBucket: string;
  /** Where STS, the DryRun checks and CloudTrail are called (us-east-1). */
  homeRegion: string;
}

const fieldError = (...messages: string[]) =>
  new AppError('bad_request', messages.join(' '), {
    details: messages.map((message) => ({ path: 'account_arn', message })),
  });

const nameOf = (error: unknown) => (error as { name?: string }).name ?? '';

// cloudigrade's policy actions, checked with DryRun (FACTS 4.1); ids are placeholders: DryRun answers on permission first.
// The EBS direct API actions the inspection job reads snapshots with have no DryRun: ebs-permission-probes.ts.
const dryRunChecks = [
  ['ec2:DescribeImages', new DescribeImagesCommand({ DryRun: true })],
  ['ec2:DescribeInstances', new DescribeInstancesCommand({ DryRun: true })],
  ['ec2:DescribeSnapshots', new DescribeSnapshotsCommand({ DryRun: true })],
  [
    'ec2:DescribeSnapshotAttribute',
    new DescribeSnapshotAttributeCommand({
      DryRun: true,
      SnapshotId: 'snap-00000000',
      Attribute: 'createVolumePermission',
    }),
  ],
  [
    'ec2:ModifySnapshotAttribute',
    new ModifySnapshotAttributeCommand({
      DryRun: true,
      SnapshotId: 'snap-00000000',
      Attribute: 'createVolumePermission',
    }),
  ],
  [
    'ec2:CopyImage',
    new CopyImageCommand({
      DryRun: true,
      Name: 'cloudigrade-check',
      SourceImageId: 'ami-00000000',
      SourceRegion: 'us-east-1',
    }),
  ],
  [
    'ec2:CreateTags',
    new CreateTagsCommand({
      DryRun: true,
      Resources: ['ami-00000000'],
      Tags: [{ Key: 'cloudigrade', Value: 'check' }],
    }),
  ],
] as const;

/** Credentials of the customer's role (cloudigrade's session name); AccessDenied is refused in its wording. */
export async function assumeRole(sts: STSClient, arn: string, awsAccountId: string): Promise<Credentials> {
  try {
    const { Credentials: assumed } = await sts.send(
      new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: `cloudigrade-${awsAccountId}` }),
    );
    if (!assumed?.AccessKeyId || !assumed.SecretAccessKey) throw new Error('AssumeRole answered no credentials');
    return {
      accessKeyId: assumed.AccessKeyId,
      secretAccessKey: assumed.SecretAccessKey,
      sessionToken: assumed.SessionToken,
    };
  } catch (error) {
    if (nameOf(error) === 'AccessDenied') throw fieldError(`Permission denied for ARN "${arn}"`);
    throw error;
  }
}

async function verifyPolicy(ec2: EC2Client, ebs: EBSClient): Promise<void> {
  const denied: string[] = [];
  for (const [action, command] of dryRunChecks) {
    try {
      await ec2.send(command as Parameters<EC2Client['send']>[0]);
    } catch (error) {
      if (nameOf(error) !== 'DryRunOperation') denied.push(action);
    }
  }
  denied.push(...(await deniedEbsActions(ebs)));
  if (denied.length > 0)
    throw fieldError(
      'Account verification failed.',
      ...denied.map((action) => `Access denied for policy action "${action}".`),
    );
}

async function configureTrail(cloudTrail: CloudTrailClient, arn: string, awsAccountId: string, bucket: string) {
  const trail = {
    Name: `cloudigrade-${awsAccountId}`,
    S3BucketName: bucket,
    IsMultiRegionTrail: true,
    IncludeGlobalServiceEvents: true,
  };
  try {
    try {
      await cloudTrail.send(new CreateTrailCommand(trail));
    } catch (error) {
      if (nameOf(error) !== 'TrailAlreadyExistsException') throw error;
      await cloudTrail.send(new UpdateTrailCommand(trail));
    }
    await cloudTrail.send(
      new PutEventSelectorsCommand({
        TrailName: trail.Name,
        EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }],
      }),
    );
    await cloudTrail.send(new StartLoggingCommand({ Name: trail.Name }));
  } catch (error) {
    if (nameOf(error) === 'AccessDeniedException')
      throw fieldError(`Access denied to create CloudTrail for ARN "${arn}"`);
    if (nameOf(error) === 'MaximumNumberOfTrailsExceededException')
      throw new AppError('conflict', 'Exceeded maximum number of cloud trails');
    throw error;
  }
}

function discoveredInstance(instance: Instance, region: string): DiscoveredInstance[] {
  if (!instance.InstanceId) return [];
  return [
    {
      cloudInstanceId: instance.InstanceId,
      region,
      imageId: instance.ImageId ?? null,
      instanceType: instance.InstanceType ?? null,
      subnet: instance.SubnetId ?? null,
    },
  ];
}

async function runningInstances(ec2: EC2Client, region: string): Promise<DiscoveredInstance[]> {
  const found: DiscoveredInstance[] = [];
  let NextToken: string | undefined;
  do {
    const page = await ec2.send(
      new DescribeInstancesCommand({ Filters: [{ Name: 'instance-state-name', Values: ['running'] }], NextToken }),
    );
    for (const reservation of page.Reservations ?? [])
      for (const instance of reservation.Instances ?? []) found.push(...discoveredInstance(instance, region));
    NextToken = page.NextToken;
  } while (NextToken);
  return found;
}

async function describeImages(ec2: EC2Client, imageIds: string[]): Promise<DiscoveredImage[]> {
  if (imageIds.length === 0) return [];
  const { Images = [] } = await ec2.send(new DescribeImagesCommand({ ImageIds: imageIds }));
  return Images.flatMap((image) =>
    image.ImageId
      ? [
          {
            cloudImageId: image.ImageId,
            name: image.Name ?? null,
            ownerAccountId: image.OwnerId ?? null,
            // EC2 answers `windows`; the SDK's enum spells it `Windows`.
            windows: image.Platform?.toLowerCase() === 'windows',
            openshift: (image.Tags ?? []).some((tag) => tag.Key === openshiftTagKey),
          },
        ]
      : [],
  );
}

/** cloudigrade's AwsAccount registration (FACTS 4.1) on the AWS SDK; `sts` holds Overcast's own credentials. */
export function createAwsAccountAccess(
  settings: AwsRegistrationSettings,
  sts = new STSClient({ region: settings.homeRegion }),
): AwsAccountAccess {
  return {
    async registerAccount(arn, awsAccountId) {
      const credentials = await assumeRole(sts, arn, awsAccountId);
      const ec2In = (region: string) => new EC2Client({ region, credentials });
      await verifyPolicy(ec2In(settings.homeRegion), new EBSClient({ region: settings.homeRegion, credentials }));
      await configureTrail(
        new CloudTrailClient({ region: settings.homeRegion, credentials }),
        arn,
        awsAccountId,
        settings.cloudTrailBucket,
      );
      const { Regions = [] } = await ec2In(settings.homeRegion).send(new DescribeRegionsCommand({}));
      const instances: DiscoveredInstance[] = [];
      const images: DiscoveredImage[] = [];
      for (const region of Regions.flatMap((one) => (one.RegionName ? [one.RegionName] : []))) {
        const running = await runningInstances(ec2In(region), region);
        instances.push(...running);
        const imageIds = [...new Set(running.flatMap((instance) => (instance.imageId ? [instance.imageId] : [])))];
        images.push(...(await describeImages(ec2In(region), imageIds)));
      }
      return { instances, images };
    },
  };
}

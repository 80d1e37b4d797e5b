import { EBSClient } from '@aws-sdk/client-ebs';
import { DescribeImagesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { STSClient } from '@aws-sdk/client-sts';
import { openEbsSnapshotReader } from '@overcast/disk-inspector/ebs';
import type { AwsImageLocation, AwsImageSnapshots } from '../../domain/inspection/aws-image-snapshots';
import { assumeRole } from './register-aws-account';

const nameOf = (error: unknown) => (error as { name?: string }).name ?? '';

/**
 * An AMI's root snapshot read where it lies, in the customer's account: AssumeRole into its role, DescribeImages for
 * the root device's snapshot, then the EBS direct APIs block by block (no copy, volume, attachment or instance).
 */
export function createAwsImageSnapshots(settings: { homeRegion: string; sts?: STSClient }): AwsImageSnapshots {
  const sts = settings.sts ?? new STSClient({ region: settings.homeRegion });
  const credentialsOf = (location: AwsImageLocation) => assumeRole(sts, location.accountArn, location.awsAccountId);
  return {
    async describeRoot(location) {
      const ec2 = new EC2Client({ region: location.region, credentials: await credentialsOf(location) });
      try {
        const { Images } = await ec2.send(new DescribeImagesCommand({ ImageIds: [location.imageId] }));
        const image = Images?.[0];
        if (!image) return null;
        const root = image.BlockDeviceMappings?.find((mapping) => mapping.DeviceName === image.RootDeviceName);
        return {
          platform: image.Platform?.toLowerCase() === 'windows' ? 'windows' : 'none',
          snapshotId: root?.Ebs?.SnapshotId ?? null,
          encrypted: root?.Ebs?.Encrypted === true,
          tags: Object.fromEntries((image.Tags ?? []).flatMap((tag) => (tag.Key ? [[tag.Key, tag.Value ?? '']] : []))),
        };
      } catch (error) {
        if (nameOf(error) === 'InvalidAMIID.NotFound' || nameOf(error) === 'InvalidAMIID.Unavailable') return null;
        throw error;
      } finally {
        ec2.destroy();
      }
    },
    async openSnapshot(location, snapshotId) {
      const ebs = new EBSClient({ region: location.region, credentials: await credentialsOf(location) });
      return openEbsSnapshotReader(ebs, snapshotId);
    },
  };
}

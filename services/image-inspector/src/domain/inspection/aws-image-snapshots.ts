import type { ByteReader } from '@overcast/disk-inspector';

/** Where an AWS image lives: the customer's role to assume, and the region of the instances that ran it. */
export interface AwsImageLocation {
  accountArn: string;
  awsAccountId: string;
  region: string;
  imageId: string;
}

/** What EC2 says of an image's root device: enough to decide whether to read it and where. */
export interface AwsImageRoot {
  platform: 'none' | 'windows';
  /** The root device's EBS snapshot; null when the root is no EBS volume (instance store). */
  snapshotId: string | null;
  encrypted: boolean;
  tags: Record<string, string>;
}

/** The AWS calls the inspection job makes; the aws data-access implements them (STS, EC2, EBS direct APIs). */
export interface AwsImageSnapshots {
  /** null when EC2 no longer knows the image (deregistered): there is nothing left to read. */
  describeRoot(location: AwsImageLocation): Promise<AwsImageRoot | null>;
  /** The snapshot read in place through ListSnapshotBlocks/GetSnapshotBlock with the role's credentials. */
  openSnapshot(location: AwsImageLocation, snapshotId: string): Promise<ByteReader>;
}

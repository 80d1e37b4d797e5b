import type { EC2Client } from '@aws-sdk/client-ec2';
import { DescribeImagesCommand } from '@aws-sdk/client-ec2';
import type { ProviderImage } from '../core/compute';
import { callEc2 } from './ec2-errors';

/** Pudding's AMI resolution: own images tagged `role=<role>` and carrying the `active` tag; newest wins. */
export async function findNewestImage(client: EC2Client, role: string): Promise<ProviderImage | null> {
  const output = await callEc2('DescribeImages', () =>
    client.send(
      new DescribeImagesCommand({
        Owners: ['self'],
        Filters: [
          { Name: `tag:role`, Values: [role] },
          { Name: 'tag-key', Values: ['active'] },
          { Name: 'state', Values: ['available'] },
        ],
      }),
    ),
  );
  const images = (output.Images ?? []).filter((image) => image.ImageId);
  // CreationDate is ISO 8601, so string order is time order.
  images.sort((a, b) => (b.CreationDate ?? '').localeCompare(a.CreationDate ?? ''));
  const newest = images[0];
  if (!newest?.ImageId) return null;
  return {
    id: newest.ImageId,
    name: newest.Name ?? newest.ImageId,
    createdAt: new Date(newest.CreationDate ?? 0),
  };
}

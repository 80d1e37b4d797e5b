import type { PoolClient } from 'pg';
import { qualified } from '@overcast/db';
import type { PowerRecord } from '../domain/activity-records';
import type { DiscoveredImage, DiscoveredInstance } from '../domain/aws-account-access';
import { accountActivityLock, tenantImagesLock } from './in-transaction';
import { recordActivity } from './record-activity';

/**
 * A registration's findings: each image described (a Windows one is inspected with no inspection, FACTS 4.2; the
 * OpenShift tag read), then each running instance tracked with a power_on at `at` (keyed by the registration, so
 * registering the same account again adds none twice for one instant).
 */
export async function recordDiscovery(
  client: PoolClient,
  schema: string,
  tenantId: string,
  accountId: number,
  discovery: { instances: DiscoveredInstance[]; images: DiscoveredImage[]; at: Date },
): Promise<void> {
  // In the order every transaction takes them: the account's lock, then the tenant's images lock.
  await client.query(accountActivityLock(accountId));
  await client.query(tenantImagesLock(tenantId));
  // One row per image (the last description wins): ON CONFLICT DO UPDATE may not touch a row twice.
  const images = [...new Map(discovery.images.map((image) => [image.cloudImageId, image])).values()];
  if (images.length > 0) {
    const column = <T>(value: (image: DiscoveredImage) => T) => images.map(value);
    await client.query(
      `INSERT INTO ${qualified(schema, 'machine_images')}
         (tenant_id, cloud_image_id, name, owner_account_id, platform, status, openshift_detected)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::boolean[])
       ON CONFLICT (tenant_id, cloud_image_id) DO UPDATE SET
         name = excluded.name, owner_account_id = excluded.owner_account_id, platform = excluded.platform,
         status = CASE WHEN excluded.platform = 'windows' THEN 'inspected' ELSE machine_images.status END,
         openshift_detected = excluded.openshift_detected, updated_at = now()`,
      [
        tenantId,
        column((image) => image.cloudImageId),
        column((image) => image.name),
        column((image) => image.ownerAccountId),
        column((image) => (image.windows ? 'windows' : 'none')),
        column((image) => (image.windows ? 'inspected' : 'pending')),
        column((image) => image.openshift),
      ],
    );
  }
  const records: PowerRecord[] = discovery.instances.map((instance) => ({
    kind: 'power',
    eventId: `registration:${discovery.at.toISOString()}`,
    occurredAt: discovery.at,
    awsAccountId: null,
    region: instance.region,
    eventType: 'power_on',
    instances: [instance],
  }));
  await recordActivity(client, schema, tenantId, accountId, [records]);
}

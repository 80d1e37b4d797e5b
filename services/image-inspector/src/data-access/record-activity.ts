import type { Pool, PoolClient } from 'pg';
import { qualified } from '@overcast/db';
import type { PowerRecord, RelevantRecord } from '../domain/activity-records';
import type { DiscoveredImage, DiscoveredInstance } from '../domain/aws-account-access';
import type { StoredActivity } from '../domain/ports';
import { copySegment, ensureStagingTable, segmentsOf, stagingTable, type Segment } from './activity-staging';

// Rows merged at a time: large enough that a statement's fixed cost is small, small enough to overlap the reading.
const rowsPerSegment = 1_000;

/** BEGIN … COMMIT on one pooled connection; any error rolls back (a connection that cannot is discarded). */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * Merges one segment of staged rows: unknown images and instances made (in file order, an instance's region from its
 * first record that has one), events added once by (instance, eventID), in file order.
 */
async function mergeSegment(
  client: PoolClient,
  schema: string,
  tenantId: string,
  accountId: number,
  { from, to }: Segment,
): Promise<StoredActivity> {
  const table = (name: string) => qualified(schema, name);
  // Images and instances in one statement (neither refers to the other); events need the instances, so they follow.
  const made = await client.query<{ images: string; instances: string }>({
    name: `${schema}.merge-images-and-instances`,
    text: `WITH new_images AS (
        INSERT INTO ${table('machine_images')} (tenant_id, cloud_image_id)
        SELECT $1, cloud_image_id FROM ${stagingTable}
         WHERE ord >= $3 AND ord < $4 AND cloud_image_id IS NOT NULL
         GROUP BY cloud_image_id ORDER BY min(ord)
        ON CONFLICT (tenant_id, cloud_image_id) DO NOTHING RETURNING 1
      ), new_instances AS (
        INSERT INTO ${table('tracked_instances')} (tenant_id, account_id, cloud_instance_id, region)
        SELECT $1, $2, cloud_instance_id, (array_agg(region ORDER BY ord) FILTER (WHERE region IS NOT NULL))[1]
          FROM ${stagingTable} WHERE ord >= $3 AND ord < $4 AND kind = 'power'
         GROUP BY cloud_instance_id ORDER BY min(ord)
        ON CONFLICT (account_id, cloud_instance_id) DO NOTHING RETURNING 1
      )
      SELECT (SELECT count(*) FROM new_images) AS images, (SELECT count(*) FROM new_instances) AS instances`,
    values: [tenantId, accountId, from, to],
  });
  const events = await client.query({
    name: `${schema}.merge-events`,
    text: `INSERT INTO ${table('power_events')}
       (tenant_id, instance_id, machine_image_id, event_type, occurred_at, subnet, instance_type, source_event_id)
     SELECT $1, instance.id, image.id, staged.event_type, staged.occurred_at, staged.subnet, staged.instance_type,
            staged.source_event_id
       FROM ${stagingTable} staged
       JOIN ${table('tracked_instances')} instance
         ON instance.account_id = $2 AND instance.cloud_instance_id = staged.cloud_instance_id
       LEFT JOIN ${table('machine_images')} image
         ON image.tenant_id = $1 AND image.cloud_image_id = staged.cloud_image_id
      WHERE staged.ord >= $3 AND staged.ord < $4 AND staged.kind = 'power' ORDER BY staged.ord
     ON CONFLICT (instance_id, source_event_id) DO NOTHING`,
    values: [tenantId, accountId, from, to],
  });
  return {
    eventsAdded: events.rowCount ?? 0,
    instancesAdded: Number(made.rows[0]?.instances ?? 0),
    imagesAdded: Number(made.rows[0]?.images ?? 0),
  };
}

/** OpenShift tags of the whole file: the latest change per image wins (openshift_tagged_at; on a tie, the first). */
async function applyOpenshiftTags(client: PoolClient, schema: string, tenantId: string): Promise<void> {
  await client.query({
    name: `${schema}.apply-openshift-tags`,
    text: `UPDATE ${qualified(schema, 'machine_images')} image
        SET openshift_detected = latest.openshift_present, openshift_tagged_at = latest.occurred_at, updated_at = now()
       FROM (SELECT DISTINCT ON (cloud_image_id) cloud_image_id, openshift_present, occurred_at
               FROM ${stagingTable} WHERE kind = 'tag' ORDER BY cloud_image_id, occurred_at DESC, ord) latest
      WHERE image.tenant_id = $1 AND image.cloud_image_id = latest.cloud_image_id
        AND (image.openshift_tagged_at IS NULL OR image.openshift_tagged_at < latest.occurred_at)`,
    values: [tenantId],
  });
}

/**
 * One file's records, batch by batch, in the caller's transaction: staged by COPY a segment at a time, each segment
 * merged while the next is read (Postgres and the parser each on their core); the staging table is emptied at
 * COMMIT (and what a ROLLBACK undoes was never there), so a transaction records one file.
 */
export async function recordActivity(
  client: PoolClient,
  schema: string,
  tenantId: string,
  accountId: number,
  batches: AsyncIterable<RelevantRecord[]> | Iterable<RelevantRecord[]>,
): Promise<StoredActivity> {
  await ensureStagingTable(client);
  const stored: StoredActivity = { eventsAdded: 0, instancesAdded: 0, imagesAdded: 0 };
  let merging: Promise<void> = Promise.resolve();
  try {
    for await (const segment of segmentsOf(batches, rowsPerSegment)) {
      await merging;
      await copySegment(client, segment);
      merging = mergeSegment(client, schema, tenantId, accountId, segment).then((added) => {
        stored.eventsAdded += added.eventsAdded;
        stored.instancesAdded += added.instancesAdded;
        stored.imagesAdded += added.imagesAdded;
      });
      // Observed here so that a failure waits, unreported, for the await above or below.
      merging.catch(() => undefined);
    }
    await merging;
  } catch (error) {
    await merging.catch(() => undefined);
    throw error;
  }
  await applyOpenshiftTags(client, schema, tenantId);
  return stored;
}

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

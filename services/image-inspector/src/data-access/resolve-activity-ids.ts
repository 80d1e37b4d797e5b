import type { PoolClient } from 'pg';
import { qualified } from '@overcast/db';

/** Cloud ids to database ids, and how many rows were made for them. */
export interface Resolved {
  ids: Map<string, number>;
  added: Set<string>;
}

/**
 * The tenant's images by cloud id, made when missing (in the order given). Images are the tenant's, shared by its
 * accounts: only under the tenant's images lock (`lockImages`) are missing ones made, and one another file made
 * meanwhile (it committed before the lock was ours) is read again after the INSERT.
 */
export async function resolveImages(
  client: PoolClient,
  schema: string,
  tenantId: string,
  cloudImageIds: string[],
  lockImages: () => Promise<void>,
): Promise<Resolved> {
  const resolved: Resolved = { ids: new Map(), added: new Set() };
  if (cloudImageIds.length === 0) return resolved;
  const images = qualified(schema, 'machine_images');
  const select = async (wanted: string[]) => {
    const { rows } = await client.query<{ id: number | null; cloud_image_id: string }>({
      name: `${schema}.find-images`,
      // One probe of the unique (tenant_id, cloud_image_id) index each, whatever the statistics say.
      text: `SELECT cloud_image_id,
               (SELECT id FROM ${images} WHERE tenant_id = $1 AND cloud_image_id = given.cloud_image_id) AS id
          FROM unnest($2::text[]) AS given (cloud_image_id)`,
      values: [tenantId, wanted],
    });
    for (const row of rows) if (row.id !== null) resolved.ids.set(row.cloud_image_id, row.id);
  };
  await select(cloudImageIds);
  const missing = cloudImageIds.filter((id) => !resolved.ids.has(id));
  if (missing.length === 0) return resolved;
  await lockImages();
  const { rows } = await client.query<{ id: number; cloud_image_id: string }>({
    name: `${schema}.make-images`,
    text: `INSERT INTO ${images} (tenant_id, cloud_image_id)
      SELECT $1, cloud_image_id FROM unnest($2::text[]) WITH ORDINALITY AS given (cloud_image_id, ord) ORDER BY ord
      ON CONFLICT (tenant_id, cloud_image_id) DO NOTHING RETURNING id, cloud_image_id`,
    values: [tenantId, missing],
  });
  for (const row of rows) {
    resolved.ids.set(row.cloud_image_id, row.id);
    resolved.added.add(row.cloud_image_id);
  }
  const madeElsewhere = missing.filter((id) => !resolved.ids.has(id));
  if (madeElsewhere.length > 0) await select(madeElsewhere);
  return resolved;
}

/**
 * The account's instances by cloud id, made when missing (in the order given, each with its region). A plain
 * INSERT, no ON CONFLICT: the caller holds the account's lock (record-activity.ts), so no one else makes the
 * account's instances meanwhile.
 */
export async function resolveInstances(
  client: PoolClient,
  schema: string,
  tenantId: string,
  accountId: number,
  wanted: { cloudInstanceIds: string[]; regions: (string | null)[] },
): Promise<Resolved> {
  const instances = qualified(schema, 'tracked_instances');
  const { rows } = await client.query<{ id: number; cloud_instance_id: string; added: boolean }>({
    name: `${schema}.resolve-instances`,
    // Each id is one probe of the unique (account_id, cloud_instance_id) index, as a scalar subquery: planned as a
    // join, a young account's stale statistics made Postgres scan all of the account's instances for every segment.
    text: `WITH wanted AS MATERIALIZED (
        SELECT cloud_instance_id, region, ord,
               (SELECT id FROM ${instances} WHERE account_id = $2 AND cloud_instance_id = given.cloud_instance_id) AS id
          FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS given (cloud_instance_id, region, ord)
      ), added AS (
        INSERT INTO ${instances} (tenant_id, account_id, cloud_instance_id, region)
        SELECT $1, $2, cloud_instance_id, region FROM wanted WHERE id IS NULL ORDER BY ord
        RETURNING id, cloud_instance_id
      )
      SELECT id, cloud_instance_id, false AS added FROM wanted WHERE id IS NOT NULL
      UNION ALL
      SELECT id, cloud_instance_id, true FROM added`,
    values: [tenantId, accountId, wanted.cloudInstanceIds, wanted.regions],
  });
  const resolved: Resolved = { ids: new Map(), added: new Set() };
  for (const row of rows) {
    resolved.ids.set(row.cloud_instance_id, row.id);
    if (row.added) resolved.added.add(row.cloud_instance_id);
  }
  return resolved;
}

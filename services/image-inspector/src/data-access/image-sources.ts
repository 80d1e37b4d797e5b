import { qualified } from '@overcast/db';
import { Prisma } from '../generated/prisma/client';
import type { ImageSource } from '../domain/inspection/inspection-ports';
import type { UsagePrisma } from './prisma-client';

type SourceRow = { imageId: number; type: string; provider: string | null; hasRole: boolean };

/**
 * The accounts whose instances ran each image (the triage's input). An image is made in the transaction that stores
 * its first event, so that event is stamped no earlier than the image but for another writer's clock or a
 * concurrent transaction: the events are looked for from each tenant's oldest image less this much, on the
 * (tenant_id, created_at) index: the recent events, not all of them (no index leads with the image: ingestion keeps
 * none more to update). An image found nowhere there (an older first event, or none) is looked for in all events.
 */
const creationSkew = Prisma.raw(`interval '10 minutes'`);

export async function findImageSources(
  prisma: UsagePrisma,
  schema: string,
  imageIds: number[],
): Promise<Map<number, ImageSource[]>> {
  const table = (name: string) => Prisma.raw(qualified(schema, name));
  const accountsOf = Prisma.sql`
    JOIN ${table('tracked_instances')} i ON i.id = e.instance_id
    JOIN ${table('cloud_accounts')} a ON a.id = i.account_id`;
  // Each tenant's bound first, as a value: a bound the planner cannot see would have it scan every event.
  const tenants = await prisma.$queryRaw<{ tenantId: string; since: Date }[]>`
    SELECT tenant_id AS "tenantId", min(created_at) - ${creationSkew} AS since
      FROM ${table('machine_images')} WHERE id = ANY(${imageIds}::int[]) GROUP BY tenant_id`;
  const recent: SourceRow[] = [];
  for (const { tenantId, since } of tenants) {
    recent.push(
      ...(await prisma.$queryRaw<SourceRow[]>`
        SELECT DISTINCT e.machine_image_id AS "imageId", a.type, a.provider, a.account_arn IS NOT NULL AS "hasRole"
          FROM ${table('power_events')} e
          ${accountsOf}
         WHERE e.tenant_id = ${tenantId} AND e.created_at >= ${since}
           AND e.machine_image_id = ANY(${imageIds}::int[])`),
    );
  }
  const found = new Set(recent.map((row) => row.imageId));
  const unfound = imageIds.filter((id) => !found.has(id));
  const older =
    unfound.length === 0
      ? []
      : await prisma.$queryRaw<SourceRow[]>`
          SELECT DISTINCT e.machine_image_id AS "imageId", a.type, a.provider, a.account_arn IS NOT NULL AS "hasRole"
            FROM ${table('power_events')} e
            ${accountsOf}
           WHERE e.machine_image_id = ANY(${unfound}::int[])`;
  const sources = new Map<number, ImageSource[]>(imageIds.map((id) => [id, []]));
  for (const { imageId, type, provider, hasRole } of [...recent, ...older])
    sources.get(imageId)?.push({ accountType: type, provider, hasRole });
  return sources;
}

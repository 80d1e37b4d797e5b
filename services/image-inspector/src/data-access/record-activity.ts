import type { ActivityLogIngestion } from '@overcast/contracts';
import type { OpenshiftTagRecord, PowerRecord, RelevantRecord } from '../domain/activity-records';
import type { DiscoveredImage, DiscoveredInstance } from '../domain/aws-account-access';
import { qualified } from '@overcast/db';
import { Prisma } from '../generated/prisma/client';
import type { UsagePrismaTransaction } from './prisma-client';

// Rows per multi-row INSERT: well under Postgres's 65,535 bind parameters at 9 columns a row.
const rowsPerInsert = 2_000;

function chunked<T>(items: T[]): T[][] {
  const chunks: T[][] = [];
  for (let index = 0; index < items.length; index += rowsPerInsert)
    chunks.push(items.slice(index, index + rowsPerInsert));
  return chunks;
}

async function ensureImages(tx: UsagePrismaTransaction, tenantId: string, records: RelevantRecord[]) {
  const cloudImageIds = new Set<string>();
  for (const record of records) {
    if (record.kind === 'openshift-tag') record.imageIds.forEach((id) => cloudImageIds.add(id));
    else record.instances.forEach((instance) => instance.imageId && cloudImageIds.add(instance.imageId));
  }
  if (cloudImageIds.size === 0) return { added: 0, idOf: new Map<string, number>() };
  const { count } = await tx.machineImage.createMany({
    data: [...cloudImageIds].map((cloudImageId) => ({ tenantId, cloudImageId })),
    skipDuplicates: true,
  });
  const rows = await tx.machineImage.findMany({
    where: { tenantId, cloudImageId: { in: [...cloudImageIds] } },
    select: { id: true, cloudImageId: true },
  });
  return { added: count, idOf: new Map(rows.map((row) => [row.cloudImageId, row.id])) };
}

async function ensureInstances(
  tx: UsagePrismaTransaction,
  tenantId: string,
  accountId: number,
  records: PowerRecord[],
) {
  const regionOf = new Map<string, string | null>();
  for (const record of records) {
    for (const { cloudInstanceId } of record.instances) {
      if (!regionOf.get(cloudInstanceId)) regionOf.set(cloudInstanceId, record.region);
    }
  }
  if (regionOf.size === 0) return { added: 0, idOf: new Map<string, number>() };
  let added = 0;
  for (const chunk of chunked([...regionOf])) {
    const { count } = await tx.trackedInstance.createMany({
      data: chunk.map(([cloudInstanceId, region]) => ({ tenantId, accountId, cloudInstanceId, region })),
      skipDuplicates: true,
    });
    added += count;
  }
  const rows = await tx.trackedInstance.findMany({
    where: { accountId, cloudInstanceId: { in: [...regionOf.keys()] } },
    select: { id: true, cloudInstanceId: true },
  });
  return { added, idOf: new Map(rows.map((row) => [row.cloudInstanceId, row.id])) };
}

interface EventRow {
  tenantId: string;
  instanceId: number;
  machineImageId: number | null;
  eventType: string;
  occurredAt: Date;
  subnet: string | null;
  instanceType: string | null;
  sourceEventId: string;
}

/**
 * Events as one INSERT … SELECT FROM unnest(arrays), skipping those already stored (instance, eventID): eight bind
 * parameters however many rows, where Prisma's createMany bound nine per row and ingestion ran at a few hundred rows
 * a second.
 */
async function insertEvents(tx: UsagePrismaTransaction, schema: string, rows: EventRow[]): Promise<number> {
  const column = <K extends keyof EventRow>(key: K) => rows.map((row) => row[key]);
  return tx.$executeRaw`
    INSERT INTO ${Prisma.raw(qualified(schema, 'power_events'))}
      (tenant_id, instance_id, machine_image_id, event_type, occurred_at, subnet, instance_type, source_event_id)
    SELECT * FROM unnest(${column('tenantId')}::text[], ${column('instanceId')}::int[], ${column('machineImageId')}::int[],
      ${column('eventType')}::text[], ${rows.map((row) => row.occurredAt.toISOString())}::timestamptz[],
      ${column('subnet')}::text[], ${column('instanceType')}::text[], ${column('sourceEventId')}::text[])
    ON CONFLICT (instance_id, source_event_id) DO NOTHING`;
}

/** The latest tag change per image wins, whatever order the files arrive in (openshift_tagged_at). */
async function applyOpenshiftTags(
  tx: UsagePrismaTransaction,
  tenantId: string,
  records: OpenshiftTagRecord[],
): Promise<void> {
  const ordered = [...records].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  for (const record of ordered) {
    await tx.machineImage.updateMany({
      where: {
        tenantId,
        cloudImageId: { in: record.imageIds },
        OR: [{ openshiftTaggedAt: null }, { openshiftTaggedAt: { lt: record.occurredAt } }],
      },
      data: { openshiftDetected: record.present, openshiftTaggedAt: record.occurredAt, updatedAt: new Date() },
    });
  }
}

/** One file's records in the caller's transaction: unknown images and instances made, events added once by eventID. */
export async function recordActivity(
  tx: UsagePrismaTransaction,
  schema: string,
  tenantId: string,
  accountId: number,
  records: RelevantRecord[],
): Promise<ActivityLogIngestion> {
  const powerRecords = records.filter((record): record is PowerRecord => record.kind === 'power');
  const tagRecords = records.filter((record): record is OpenshiftTagRecord => record.kind === 'openshift-tag');
  const images = await ensureImages(tx, tenantId, records);
  const instances = await ensureInstances(tx, tenantId, accountId, powerRecords);
  const events = powerRecords.flatMap((record) =>
    record.instances.map((instance) => ({
      tenantId,
      instanceId: instances.idOf.get(instance.cloudInstanceId) as number,
      machineImageId: instance.imageId ? (images.idOf.get(instance.imageId) ?? null) : null,
      eventType: record.eventType,
      occurredAt: record.occurredAt,
      subnet: instance.subnet,
      instanceType: instance.instanceType,
      sourceEventId: record.eventId,
    })),
  );
  let eventsAdded = 0;
  for (const chunk of chunked(events)) eventsAdded += await insertEvents(tx, schema, chunk);
  await applyOpenshiftTags(tx, tenantId, tagRecords);
  return {
    records: 0,
    relevantRecords: records.length,
    eventsAdded,
    instancesAdded: instances.added,
    imagesAdded: images.added,
  };
}

/**
 * A registration's findings: each image described (a Windows one is inspected with no inspection, FACTS 4.2; the
 * OpenShift tag read), then each running instance tracked with a power_on at `at` (keyed by the registration, so
 * registering the same account again adds none twice for one instant).
 */
export async function recordDiscovery(
  tx: UsagePrismaTransaction,
  schema: string,
  tenantId: string,
  accountId: number,
  discovery: { instances: DiscoveredInstance[]; images: DiscoveredImage[]; at: Date },
): Promise<void> {
  for (const image of discovery.images) {
    const described = {
      name: image.name,
      ownerAccountId: image.ownerAccountId,
      platform: image.windows ? 'windows' : 'none',
      ...(image.windows ? { status: 'inspected' } : {}),
      openshiftDetected: image.openshift,
    };
    await tx.machineImage.upsert({
      where: { tenantId_cloudImageId: { tenantId, cloudImageId: image.cloudImageId } },
      create: { tenantId, cloudImageId: image.cloudImageId, ...described },
      update: { ...described, updatedAt: new Date() },
    });
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
  await recordActivity(tx, schema, tenantId, accountId, records);
}

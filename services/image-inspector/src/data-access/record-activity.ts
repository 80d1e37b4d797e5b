import type { Pool, PoolClient } from 'pg';
import { qualified } from '@overcast/db';
import type { PowerRecord, RelevantRecord } from '../domain/activity-records';
import type { DiscoveredImage, DiscoveredInstance } from '../domain/aws-account-access';
import type { StoredActivity } from '../domain/ports';
import { segmentsOf, type Segment, type TagRow } from './activity-segments';
import { copyPowerEvents, type ResolvedPowerEvent } from './copy-power-events';
import { resolveImages, resolveInstances, type Resolved } from './resolve-activity-ids';

// Rows stored at a time: large enough that a statement's fixed cost is small, small enough to overlap the reading.
const rowsPerSegment = 1_000;
// Ids a file remembers (images, instances); past this many it forgets them and asks the database again.
const rememberedIds = 10_000;
/** First key of the two-key advisory lock that serializes the storing of an account's activity ('ovia'). */
const accountActivityLockClass = 0x6f766961;

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
 * Held until the transaction ends by whatever adds an account's instances or events, before anything else it locks:
 * a file's new instances are then plainly INSERTed and its events COPYed with no ON CONFLICT, because nobody else
 * adds that account's rows between the look-up of what is stored and the write. Taking it twice is harmless.
 */
export function accountActivityLock(accountId: number): { text: string; values: number[] } {
  return { text: 'SELECT pg_advisory_xact_lock($1, $2)', values: [accountActivityLockClass, accountId] };
}

/** What one file's storing remembers from segment to segment (ids stay valid for its transaction). */
interface FileStore {
  client: PoolClient;
  schema: string;
  tenantId: string;
  accountId: number;
  imageIds: Map<string, number>;
  instanceIds: Map<string, number>;
  stored: StoredActivity;
}

/** Before a segment is resolved, so that every id it needs is looked up again or still remembered. */
function forgetWhenFull(known: Map<string, number>): void {
  if (known.size > rememberedIds) known.clear();
}

async function resolveSegmentImages(file: FileStore, segment: Segment): Promise<void> {
  forgetWhenFull(file.imageIds);
  const unknown = new Set<string>();
  for (const row of segment.power) {
    if (row.cloudImageId !== null && !file.imageIds.has(row.cloudImageId)) unknown.add(row.cloudImageId);
  }
  for (const row of segment.tags) if (!file.imageIds.has(row.cloudImageId)) unknown.add(row.cloudImageId);
  if (unknown.size === 0) return;
  const images = await resolveImages(file.client, file.schema, file.tenantId, [...unknown]);
  for (const [cloudImageId, id] of images.ids) file.imageIds.set(cloudImageId, id);
  file.stored.imagesAdded += images.added.size;
}

/** The segment's instances by cloud id (an instance's region from its first record that has one), and those made. */
async function resolveSegmentInstances(file: FileStore, segment: Segment): Promise<Resolved> {
  forgetWhenFull(file.instanceIds);
  const regionOf = new Map<string, string | null>();
  for (const row of segment.power) {
    if (file.instanceIds.has(row.cloudInstanceId)) continue;
    if (!regionOf.has(row.cloudInstanceId) || regionOf.get(row.cloudInstanceId) === null) {
      regionOf.set(row.cloudInstanceId, row.region);
    }
  }
  const resolved: Resolved = { ids: new Map(), added: new Set() };
  if (regionOf.size > 0) {
    const wanted = { cloudInstanceIds: [...regionOf.keys()], regions: [...regionOf.values()] };
    const made = await resolveInstances(file.client, file.schema, file.tenantId, file.accountId, wanted);
    resolved.ids = made.ids;
    resolved.added = made.added;
    file.stored.instancesAdded += made.added.size;
  }
  for (const row of segment.power) {
    const known = file.instanceIds.get(row.cloudInstanceId);
    if (known !== undefined) resolved.ids.set(row.cloudInstanceId, known);
  }
  for (const [cloudInstanceId, id] of resolved.ids) file.instanceIds.set(cloudInstanceId, id);
  return resolved;
}

/** Of (instance, eventID) pairs, those power_events holds: one probe of its unique index each. */
async function storedEventKeys(file: FileStore, events: ResolvedPowerEvent[]): Promise<Set<string>> {
  if (events.length === 0) return new Set();
  const { rows } = await file.client.query<{ instance_id: number; source_event_id: string }>({
    name: `${file.schema}.stored-event-keys`,
    // A scalar subquery, so that it stays a probe per pair whatever the statistics say (never a join over the table).
    text: `SELECT instance_id, source_event_id FROM unnest($1::int[], $2::text[]) AS wanted (instance_id, source_event_id)
      WHERE (SELECT true FROM ${qualified(file.schema, 'power_events')} event
              WHERE event.instance_id = wanted.instance_id AND event.source_event_id = wanted.source_event_id)`,
    values: [events.map((event) => event.instanceId), events.map((event) => event.sourceEventId)],
  });
  return new Set(rows.map((row) => eventKey(row.instance_id, row.source_event_id)));
}

const eventKey = (instanceId: number, sourceEventId: string) => `${instanceId}\u0000${sourceEventId}`;

/**
 * A segment's events with their ids, each (instance, eventID) once: the first in file order, and none already
 * stored. Only the events of instances made before this segment can be stored already (by an earlier file, or by
 * an earlier segment of this one), so only those are looked up.
 */
async function newEventsOf(file: FileStore, segment: Segment, instances: Resolved): Promise<ResolvedPowerEvent[]> {
  const seen = new Set<string>();
  const events: ResolvedPowerEvent[] = [];
  const olderInstances: ResolvedPowerEvent[] = [];
  for (const row of segment.power) {
    const instanceId = instances.ids.get(row.cloudInstanceId);
    if (instanceId === undefined) throw new Error(`instance ${row.cloudInstanceId} was not resolved`);
    const key = eventKey(instanceId, row.sourceEventId);
    if (seen.has(key)) continue;
    seen.add(key);
    const event: ResolvedPowerEvent = {
      instanceId,
      machineImageId: row.cloudImageId === null ? null : (file.imageIds.get(row.cloudImageId) ?? null),
      eventType: row.eventType,
      occurredAt: row.occurredAt,
      subnet: row.subnet,
      instanceType: row.instanceType,
      sourceEventId: row.sourceEventId,
    };
    events.push(event);
    if (!instances.added.has(row.cloudInstanceId)) olderInstances.push(event);
  }
  const stored = await storedEventKeys(file, olderInstances);
  return stored.size === 0
    ? events
    : events.filter((event) => !stored.has(eventKey(event.instanceId, event.sourceEventId)));
}

/** A segment's OpenShift tags: the latest change per image wins (openshift_tagged_at; on a tie, the first). */
async function applyOpenshiftTags(file: FileStore, tags: TagRow[]): Promise<void> {
  if (tags.length === 0) return;
  await file.client.query({
    name: `${file.schema}.apply-openshift-tags`,
    text: `UPDATE ${qualified(file.schema, 'machine_images')} image
        SET openshift_detected = latest.present, openshift_tagged_at = latest.occurred_at, updated_at = now()
       FROM (SELECT DISTINCT ON (cloud_image_id) cloud_image_id, present, occurred_at
               FROM unnest($2::text[], $3::boolean[], $4::timestamptz[]) WITH ORDINALITY
                    AS tag (cloud_image_id, present, occurred_at, ord)
              ORDER BY cloud_image_id, occurred_at DESC, ord) latest
      WHERE image.tenant_id = $1 AND image.cloud_image_id = latest.cloud_image_id
        AND (image.openshift_tagged_at IS NULL OR image.openshift_tagged_at < latest.occurred_at)`,
    values: [
      file.tenantId,
      tags.map((tag) => tag.cloudImageId),
      tags.map((tag) => tag.present),
      tags.map((tag) => tag.occurredAt),
    ],
  });
}

/** One segment: its unknown images and instances made, its new events COPYed, its tags applied. */
async function storeSegment(file: FileStore, segment: Segment): Promise<void> {
  await resolveSegmentImages(file, segment);
  const instances = await resolveSegmentInstances(file, segment);
  const events = await newEventsOf(file, segment, instances);
  await copyPowerEvents(file.client, file.schema, file.tenantId, events);
  file.stored.eventsAdded += events.length;
  await applyOpenshiftTags(file, segment.tags);
}

/**
 * One file's records, batch by batch, in the caller's transaction under the account's lock: a segment at a time,
 * each stored while the next is read (Postgres and the parser each on their core). What a ROLLBACK undoes was
 * never there, so a transaction records one file or nothing.
 */
export async function recordActivity(
  client: PoolClient,
  schema: string,
  tenantId: string,
  accountId: number,
  batches: AsyncIterable<RelevantRecord[]> | Iterable<RelevantRecord[]>,
): Promise<StoredActivity> {
  await client.query(accountActivityLock(accountId));
  const file: FileStore = {
    client,
    schema,
    tenantId,
    accountId,
    imageIds: new Map(),
    instanceIds: new Map(),
    stored: { eventsAdded: 0, instancesAdded: 0, imagesAdded: 0 },
  };
  let storing: Promise<void> = Promise.resolve();
  try {
    for await (const segment of segmentsOf(batches, rowsPerSegment)) {
      await storing;
      storing = storeSegment(file, segment);
      // Observed here so that a failure waits, unreported, for the await above or below.
      storing.catch(() => undefined);
    }
    await storing;
  } catch (error) {
    await storing.catch(() => undefined);
    throw error;
  }
  return file.stored;
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
  // First, as recordActivity below would: images are locked after the account, in every transaction.
  await client.query(accountActivityLock(accountId));
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

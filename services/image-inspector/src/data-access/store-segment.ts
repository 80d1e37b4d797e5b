import type { PoolClient } from 'pg';
import { qualified } from '@overcast/db';
import type { StoredActivity } from '../domain/ports';
import type { Segment, TagRow } from './activity-segments';
import { copyPowerEvents, type ResolvedPowerEvent } from './copy-power-events';
import { tenantImagesLock } from './in-transaction';
import { resolveImages, resolveInstances } from './resolve-activity-ids';

// Ids a file remembers (images, instances); past this many it forgets them and asks the database again.
const rememberedIds = 10_000;

/** One file's storing, in its transaction under its account's lock: what it remembers and what it added. */
export interface FileStore {
  client: PoolClient;
  schema: string;
  tenantId: string;
  accountId: number;
  imageIds: Map<string, number>;
  instanceIds: Map<string, number>;
  stored: StoredActivity;
  /** Whether the transaction holds the tenant's images lock (taken before its first image write). */
  imagesLocked: boolean;
  /**
   * Instances this file made, by id, and the (instance, eventID) keys it wrote for them: all that power_events can
   * hold for such an instance, so its events are never looked up. Forgotten together past `rememberedIds` keys
   * (the instances are then looked up as any other).
   */
  madeInstances: Set<number>;
  writtenOfMade: Set<string>;
}

/** A file's storing, before its first segment. */
export function newFileStore(client: PoolClient, schema: string, tenantId: string, accountId: number): FileStore {
  return {
    client,
    schema,
    tenantId,
    accountId,
    imageIds: new Map(),
    instanceIds: new Map(),
    stored: { eventsAdded: 0, instancesAdded: 0, imagesAdded: 0 },
    imagesLocked: false,
    madeInstances: new Set(),
    writtenOfMade: new Set(),
  };
}

async function lockImages(file: FileStore): Promise<void> {
  if (file.imagesLocked) return;
  await file.client.query(tenantImagesLock(file.tenantId));
  file.imagesLocked = true;
}

/** A segment's images and instances by cloud id. */
export interface SegmentIds {
  images: Map<string, number>;
  instances: Map<string, number>;
}

/** Ids the file remembers, the others looked up (and made when missing) by `resolve`; all remembered after. */
async function idsOf(
  known: Map<string, number>,
  wanted: Iterable<string>,
  resolve: (unknown: string[]) => Promise<Map<string, number>>,
): Promise<Map<string, number>> {
  if (known.size > rememberedIds) known.clear();
  const ids = new Map<string, number>();
  const unknown: string[] = [];
  for (const cloudId of wanted) {
    const id = known.get(cloudId);
    if (id === undefined) unknown.push(cloudId);
    else ids.set(cloudId, id);
  }
  if (unknown.length > 0) for (const [cloudId, id] of await resolve(unknown)) ids.set(cloudId, id);
  for (const [cloudId, id] of ids) known.set(cloudId, id);
  return ids;
}

/**
 * The segment's images and instances (an instance's region from its first record that has one), made when missing;
 * the instances made are remembered as the file's.
 */
export async function resolveSegment(file: FileStore, segment: Segment): Promise<SegmentIds> {
  const { client, schema, tenantId, accountId } = file;
  const cloudImageIds = new Set<string>();
  const regionOf = new Map<string, string | null>();
  for (const row of segment.power) {
    if (row.cloudImageId !== null) cloudImageIds.add(row.cloudImageId);
    if (!regionOf.has(row.cloudInstanceId) || regionOf.get(row.cloudInstanceId) === null) {
      regionOf.set(row.cloudInstanceId, row.region);
    }
  }
  for (const row of segment.tags) cloudImageIds.add(row.cloudImageId);
  const images = await idsOf(file.imageIds, cloudImageIds, async (unknown) => {
    const resolved = await resolveImages(client, schema, tenantId, unknown, () => lockImages(file));
    file.stored.imagesAdded += resolved.added.size;
    return resolved.ids;
  });
  const instances = await idsOf(file.instanceIds, regionOf.keys(), async (unknown) => {
    const regions = unknown.map((cloudInstanceId) => regionOf.get(cloudInstanceId) ?? null);
    const resolved = await resolveInstances(client, schema, tenantId, accountId, {
      cloudInstanceIds: unknown,
      regions,
    });
    file.stored.instancesAdded += resolved.added.size;
    for (const cloudInstanceId of resolved.added) {
      const id = resolved.ids.get(cloudInstanceId);
      if (id !== undefined) file.madeInstances.add(id);
    }
    return resolved.ids;
  });
  return { images, instances };
}

const eventKey = (instanceId: number, sourceEventId: string) => `${instanceId}\u0000${sourceEventId}`;

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

/**
 * A segment's events with their ids, each (instance, eventID) once: the first in file order, and none already
 * stored. Only the events of instances made before this file can be stored already by another file, so only those
 * are looked up; those of an instance this file made are stored only if this file wrote them.
 */
async function newEventsOf(file: FileStore, segment: Segment, ids: SegmentIds): Promise<ResolvedPowerEvent[]> {
  const seen = new Set<string>();
  const events: ResolvedPowerEvent[] = [];
  const ofOlderInstances: ResolvedPowerEvent[] = [];
  for (const row of segment.power) {
    const instanceId = ids.instances.get(row.cloudInstanceId);
    if (instanceId === undefined) throw new Error(`instance ${row.cloudInstanceId} was not resolved`);
    const key = eventKey(instanceId, row.sourceEventId);
    if (seen.has(key) || file.writtenOfMade.has(key)) continue;
    seen.add(key);
    const event: ResolvedPowerEvent = {
      instanceId,
      machineImageId: row.cloudImageId === null ? null : (ids.images.get(row.cloudImageId) ?? null),
      eventType: row.eventType,
      occurredAt: row.occurredAt,
      subnet: row.subnet,
      instanceType: row.instanceType,
      sourceEventId: row.sourceEventId,
    };
    events.push(event);
    if (!file.madeInstances.has(instanceId)) ofOlderInstances.push(event);
  }
  const stored = await storedEventKeys(file, ofOlderInstances);
  if (stored.size === 0) return events;
  return events.filter((event) => !stored.has(eventKey(event.instanceId, event.sourceEventId)));
}

/** The keys written for instances the file made; past `rememberedIds`, those instances are forgotten as made. */
function rememberWritten(file: FileStore, events: ResolvedPowerEvent[]): void {
  for (const event of events) {
    if (file.madeInstances.has(event.instanceId))
      file.writtenOfMade.add(eventKey(event.instanceId, event.sourceEventId));
  }
  if (file.writtenOfMade.size > rememberedIds) {
    file.madeInstances.clear();
    file.writtenOfMade.clear();
  }
}

/** A segment's OpenShift tags: the latest change per image wins (openshift_tagged_at; on a tie, the first). */
async function applyOpenshiftTags(file: FileStore, tags: TagRow[]): Promise<void> {
  if (tags.length === 0) return;
  await lockImages(file);
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

/**
 * A resolved segment's new events COPYed and its tags applied. Its look-up of stored events must follow the COPY of
 * every earlier segment of the file: the caller starts it once the previous segment's write is done.
 */
export async function writeSegment(file: FileStore, segment: Segment, ids: SegmentIds): Promise<void> {
  const events = await newEventsOf(file, segment, ids);
  await copyPowerEvents(file.client, file.schema, file.tenantId, events);
  file.stored.eventsAdded += events.length;
  rememberWritten(file, events);
  await applyOpenshiftTags(file, segment.tags);
}

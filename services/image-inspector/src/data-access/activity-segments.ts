import type { PowerEventType } from '@overcast/contracts';
import type { RelevantRecord } from '../domain/activity-records';

/** One power event to store: a (record, instance) pair, with what the record says of the instance. */
export interface PowerRow {
  sourceEventId: string;
  occurredAt: Date;
  eventType: PowerEventType;
  cloudInstanceId: string;
  region: string | null;
  cloudImageId: string | null;
  instanceType: string | null;
  subnet: string | null;
}

/** One OpenShift tag change on one image. */
export interface TagRow {
  occurredAt: Date;
  cloudImageId: string;
  present: boolean;
}

/** A stretch of a file's rows, in file order, stored by a few statements at a time. */
export interface Segment {
  power: PowerRow[];
  tags: TagRow[];
}

const rowsOf = (segment: Segment) => segment.power.length + segment.tags.length;

function addRecord(segment: Segment, record: RelevantRecord): void {
  const { occurredAt } = record;
  if (record.kind === 'power') {
    for (const instance of record.instances) {
      segment.power.push({
        sourceEventId: record.eventId,
        occurredAt,
        eventType: record.eventType,
        cloudInstanceId: instance.cloudInstanceId,
        region: record.region,
        cloudImageId: instance.imageId,
        instanceType: instance.instanceType,
        subnet: instance.subnet,
      });
    }
  } else {
    for (const cloudImageId of record.imageIds)
      segment.tags.push({ occurredAt, cloudImageId, present: record.present });
  }
}

/** Rows per segment: the first `first`, each next one twice its previous, up to `most`. */
export interface SegmentSizes {
  first: number;
  most: number;
}

/**
 * The batches as segments of about `sizes.first` rows growing to `sizes.most`: a file's first rows reach the
 * database after a short read, and later ones in fewer, larger statements. A batch source that throws (a file
 * refused half-way) throws here, between segments, so the caller's transaction only rolls back.
 */
export async function* segmentsOf(
  batches: AsyncIterable<RelevantRecord[]> | Iterable<RelevantRecord[]>,
  sizes: SegmentSizes,
): AsyncGenerator<Segment> {
  let segment: Segment = { power: [], tags: [] };
  let size = sizes.first;
  for await (const batch of batches) {
    for (const record of batch) addRecord(segment, record);
    if (rowsOf(segment) >= size) {
      yield segment;
      segment = { power: [], tags: [] };
      size = Math.min(size * 2, sizes.most);
    }
  }
  if (rowsOf(segment) > 0) yield segment;
}

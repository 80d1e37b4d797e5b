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

/**
 * The batches as segments of about `rowsPerSegment` rows. A batch source that throws (a file refused half-way)
 * throws here, between segments, so the caller's transaction only rolls back.
 */
export async function* segmentsOf(
  batches: AsyncIterable<RelevantRecord[]> | Iterable<RelevantRecord[]>,
  rowsPerSegment: number,
): AsyncGenerator<Segment> {
  let segment: Segment = { power: [], tags: [] };
  for await (const batch of batches) {
    for (const record of batch) addRecord(segment, record);
    if (rowsOf(segment) >= rowsPerSegment) {
      yield segment;
      segment = { power: [], tags: [] };
    }
  }
  if (rowsOf(segment) > 0) yield segment;
}

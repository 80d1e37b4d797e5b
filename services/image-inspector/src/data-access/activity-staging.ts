import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { RelevantRecord } from '../domain/activity-records';

/**
 * A file's records on their way in: COPYed into a temporary table of the transaction, one row per (record, instance)
 * or per (tag record, image), numbered in file order (`ord`), then merged into the service's tables by a few
 * set-based statements (record-activity.ts). COPY is the cheapest way into Postgres; the merge keeps ON CONFLICT.
 * A file is staged and merged a segment at a time: while Postgres merges one, the next is read and parsed.
 */
export const stagingTable = 'pg_temp.activity_staging';

const columns = [
  'ord',
  'kind',
  'source_event_id',
  'occurred_at',
  'event_type',
  'cloud_instance_id',
  'region',
  'cloud_image_id',
  'instance_type',
  'subnet',
  'openshift_present',
] as const;

/**
 * The connection's staging table, made on its first file and emptied at every COMMIT: one table for the life of a
 * pooled connection keeps its catalog entry still, so the merge statements stay prepared and planned.
 */
export async function ensureStagingTable(client: PoolClient): Promise<void> {
  await client.query(`CREATE TEMPORARY TABLE IF NOT EXISTS activity_staging (
      ord integer NOT NULL, kind text NOT NULL, source_event_id text NOT NULL, occurred_at timestamptz(3) NOT NULL,
      event_type text, cloud_instance_id text, region text, cloud_image_id text, instance_type text, subnet text,
      openshift_present boolean
    ) ON COMMIT DELETE ROWS`);
  // Each segment's statements read only its rows, however long the file.
  await client.query('CREATE INDEX IF NOT EXISTS activity_staging_ord_idx ON activity_staging (ord)');
}

// COPY's text format: a backslash, tab, newline or carriage return inside a value is escaped; null is \N.
const escapes: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const special = /[\\\t\n\r]/g;

function field(value: string | null): string {
  return value === null ? '\\N' : value.replace(special, (character) => escapes[character] ?? character);
}

/** The COPY lines of one batch, numbering its rows on from `next.ord`. */
function linesOf(batch: RelevantRecord[], next: { ord: number }): string {
  let lines = '';
  const row = (values: (string | null)[]) => {
    lines += `${next.ord++}\t${values.map(field).join('\t')}\n`;
  };
  for (const record of batch) {
    const at = record.occurredAt.toISOString();
    if (record.kind === 'power') {
      for (const instance of record.instances) {
        const { cloudInstanceId, imageId, instanceType, subnet } = instance;
        row([
          'power',
          record.eventId,
          at,
          record.eventType,
          cloudInstanceId,
          record.region,
          imageId,
          instanceType,
          subnet,
          null,
        ]);
      }
    } else {
      for (const imageId of record.imageIds) {
        row(['tag', record.eventId, at, null, null, null, imageId, null, null, record.present ? 't' : 'f']);
      }
    }
  }
  return lines;
}

/** One segment of a file: the COPY lines of its rows [from, to) in `ord`. */
export interface Segment {
  from: number;
  to: number;
  lines: string;
}

/**
 * The batches as segments of about `rowsPerSegment` rows, numbered in file order. A batch source that throws (a
 * file refused half-way) throws here, between COPYs, so the caller's transaction only rolls back.
 */
export async function* segmentsOf(
  batches: AsyncIterable<RelevantRecord[]> | Iterable<RelevantRecord[]>,
  rowsPerSegment: number,
): AsyncGenerator<Segment> {
  const next = { ord: 0 };
  let segment: Segment = { from: 0, to: 0, lines: '' };
  for await (const batch of batches) {
    segment.lines += linesOf(batch, next);
    segment.to = next.ord;
    if (segment.to - segment.from >= rowsPerSegment) {
      yield segment;
      segment = { from: next.ord, to: next.ord, lines: '' };
    }
  }
  if (segment.to > segment.from) yield segment;
}

export async function copySegment(client: PoolClient, segment: Segment): Promise<void> {
  const copying = client.query(copyFrom(`COPY ${stagingTable} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from([segment.lines]), copying);
}

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { RelevantRecord } from '../domain/activity-records';

/**
 * A file's records on their way in: COPYed into a temporary table of the transaction, one row per (record, instance)
 * or per (tag record, image), numbered in file order (`ord`), then merged into the service's tables by a few
 * set-based statements (record-activity.ts). COPY is the cheapest way into Postgres; the merge keeps ON CONFLICT.
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

export async function createStagingTable(client: PoolClient): Promise<void> {
  await client.query(`CREATE TEMPORARY TABLE activity_staging (
      ord integer NOT NULL, kind text NOT NULL, source_event_id text NOT NULL, occurred_at timestamptz(3) NOT NULL,
      event_type text, cloud_instance_id text, region text, cloud_image_id text, instance_type text, subnet text,
      openshift_present boolean
    ) ON COMMIT DROP`);
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

/**
 * COPYs every batch into the staging table as the batches arrive. A batch source that throws (a file refused
 * half-way) aborts the COPY (CopyFail) and its error is rethrown, so the caller's transaction only rolls back.
 */
export async function stageRecords(
  client: PoolClient,
  batches: AsyncIterable<RelevantRecord[]> | Iterable<RelevantRecord[]>,
): Promise<void> {
  const next = { ord: 0 };
  async function* lines() {
    for await (const batch of batches) {
      const text = linesOf(batch, next);
      if (text.length > 0) yield text;
    }
  }
  await pipeline(
    Readable.from(lines()),
    client.query(copyFrom(`COPY ${stagingTable} (${columns.join(', ')}) FROM STDIN`)),
  );
}

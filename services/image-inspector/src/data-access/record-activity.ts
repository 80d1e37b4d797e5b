import type { PoolClient } from 'pg';
import type { RelevantRecord } from '../domain/activity-records';
import type { StoredActivity } from '../domain/ports';
import { segmentsOf } from './activity-segments';
import { tenantAccountActivityLock } from './in-transaction';
import { newFileStore, resolveSegment, writeSegment, type SegmentIds } from './store-segment';

// Rows stored at a time: few at first, so that the database starts soon after the file does, then more, so that a
// statement's fixed cost stays small; small enough that the reading overlaps the writing.
const segmentSizes = { first: 250, most: 1_000 };
// Segments on their way into the database at once: the next one's ids are resolved while one is written.
const segmentsInFlight = 2;

/**
 * One file's records, batch by batch, in the caller's transaction under the account's lock, a segment at a time.
 * The statements queue on the one connection, so Postgres runs them back to back while the next segment is read:
 * a segment's images and instances are resolved (and made) as soon as it is read, its events are written once the
 * previous segment's are (what it looks up as stored must include them). What a ROLLBACK undoes was never there,
 * so a transaction records one file or nothing. Null, with nothing read, when the tenant has no such account.
 */
export async function recordActivity(
  client: PoolClient,
  schema: string,
  tenantId: string,
  accountId: number,
  batches: AsyncIterable<RelevantRecord[]> | Iterable<RelevantRecord[]>,
): Promise<StoredActivity | null> {
  const locked = await client.query(tenantAccountActivityLock(schema, tenantId, accountId));
  if (locked.rowCount === 0) return null;
  const file = newFileStore(client, schema, tenantId, accountId);
  // Each segment's two steps, kept until both settle: nothing may reach the connection after the caller's ROLLBACK.
  const inFlight: { resolving: Promise<unknown>; written: Promise<void> }[] = [];
  let resolving: Promise<SegmentIds> | undefined;
  let written: Promise<void> = Promise.resolve();
  try {
    for await (const segment of segmentsOf(batches, segmentSizes)) {
      if (inFlight.length >= segmentsInFlight) {
        await inFlight[0]?.written;
        inFlight.shift(); // only once settled: if it failed, the catch below still waits for its resolving
      }
      // In file order: a segment sees the instances the one before made (and their region from the first record).
      const previous = resolving;
      resolving = previous ? previous.then(() => resolveSegment(file, segment)) : resolveSegment(file, segment);
      written = Promise.all([resolving, written]).then(([ids]) => writeSegment(file, segment, ids));
      // Observed here so that a failure waits, unreported, for the await above or below.
      written.catch(() => undefined);
      inFlight.push({ resolving, written });
    }
    await written;
  } catch (error) {
    await Promise.allSettled(inFlight.flatMap((segment) => [segment.resolving, segment.written]));
    throw error;
  }
  return file.stored;
}

import { SpanKind } from '@opentelemetry/api';
import { inSpan, traceContextOf, type Bus } from '@overcast/messaging';
import { backoffDelayMs, type BackoffPolicy } from '@overcast/pacing';
import type { Database } from '../connect-database';
import { describeError, type DbLogger } from '../logger';
import { deleteOutboxRows, releaseFailedRows, type FailedRow, type OutboxRow } from './outbox-store';

/**
 * The relay's hop as a span of the trace that wrote the row (its envelope's `traceparent`, stamped in the
 * writing transaction), so the publish it makes and the consumer after it continue the request's trace.
 */
function relayed(row: OutboxRow, publish: () => Promise<void>): Promise<void> {
  const attributes = { 'messaging.message.id': row.envelope.id };
  return inSpan(
    `outbox relay ${row.envelope.type}`,
    SpanKind.INTERNAL,
    attributes,
    publish,
    traceContextOf(row.envelope),
  );
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no broker confirm within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Publishes claimed rows, started in id order (one channel keeps that order on the wire), and settles
 * each: confirmed rows are deleted, the others are given back. A row whose delete fails after its
 * confirm is published again later — at least once, which consumers absorb with the inbox.
 */
export async function publishBatch(input: {
  database: Database;
  bus: Pick<Bus, 'publishEnvelope'>;
  rows: OutboxRow[];
  publishTimeoutMs: number;
  retryDelay: BackoffPolicy;
  logger: DbLogger;
}): Promise<{ published: number; failed: number }> {
  const { database, bus, rows, logger } = input;
  const outcomes = await Promise.allSettled(
    rows.map((row) =>
      relayed(row, () =>
        withTimeout(
          Promise.resolve().then(() => bus.publishEnvelope(row.kind, row.envelope)),
          input.publishTimeoutMs,
        ),
      ),
    ),
  );
  const published = rows.filter((_row, index) => outcomes[index]?.status === 'fulfilled').map((row) => row.id);
  // All failed: the broker is down for everyone, so keep order and let the relay back off.
  // Some failed: those messages have a problem of their own (e.g. an unroutable command), so only they wait.
  const someWentThrough = published.length > 0;
  const failures: FailedRow[] = [];
  outcomes.forEach((outcome, index) => {
    const row = rows[index];
    if (!row || outcome.status === 'fulfilled') return;
    const retryInMs = someWentThrough ? backoffDelayMs(input.retryDelay, row.attempts + 1) : null;
    failures.push({ id: row.id, error: describeError(outcome.reason).error, retryInMs });
  });
  await deleteOutboxRows(database, published);
  if (failures.length > 0) {
    await releaseFailedRows(database, failures);
    logger.warn(
      { failed: failures.length, published: published.length, firstError: failures[0]?.error },
      'outbox messages not confirmed; they stay in the outbox and will be retried',
    );
  }
  logger.debug({ published: published.length }, 'outbox batch published');
  return { published: published.length, failed: failures.length };
}

import type { Envelope } from '@overcast/contracts';
import type { Bus } from '@overcast/messaging';
import { BusUnavailableError } from '@overcast/messaging';
import { waitFor } from '@overcast/test-kit';
import { addToOutbox, countOutbox, sqlExecutor, type Database, type MessageKind } from '../../src';

/** Commits messages to the outbox in one pg transaction, as a service's use case would. */
export async function commitToOutbox(
  database: Database,
  messages: ReadonlyArray<readonly [MessageKind, Envelope]>,
): Promise<void> {
  const client = await database.pool.connect();
  try {
    await client.query('BEGIN');
    for (const [kind, envelope] of messages) await addToOutbox(sqlExecutor(client, database.schema), kind, envelope);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
}

/**
 * Resolves once every row is gone: published, confirmed and deleted. A consumer can see a message before the
 * relay's delete after the confirm has committed, so a test that read the outbox on that signal would race.
 */
export async function outboxEmptied(database: Database): Promise<void> {
  await waitFor('the outbox to empty', async () => (await countOutbox(database)).pending === 0);
}

export async function outboxRows(database: Database) {
  const result = await database.pool.query<{
    message_id: string;
    attempts: number;
    last_error: string | null;
    claimed_by: string | null;
    /** How long from now until the row can be claimed again. */
    waits_ms: number;
  }>(
    `SELECT message_id, attempts, last_error, claimed_by,
            (extract(epoch FROM available_at - now()) * 1000)::float8 AS waits_ms
     FROM "${database.schema}"."_overcast_outbox" ORDER BY id`,
  );
  return result.rows;
}

/** A broker that takes messages and never confirms them — until `fail()` gives up on all of them. */
export function neverConfirmingBus(): Pick<Bus, 'publishEnvelope'> & { fail(): void; attempts: number } {
  const pending: Array<(error: Error) => void> = [];
  return {
    attempts: 0,
    publishEnvelope() {
      this.attempts += 1;
      return new Promise<void>((_, reject) => pending.push(reject));
    },
    fail() {
      for (const reject of pending.splice(0)) reject(new BusUnavailableError('connection lost before the confirm'));
    },
  };
}

/** Wraps a bus so that publishing fails while `down` is true, like a broker outage. */
export function flakyBus(inner: Bus): Pick<Bus, 'publishEnvelope'> & { down: boolean; refused: number } {
  return {
    down: true,
    refused: 0,
    async publishEnvelope(kind, envelope) {
      if (this.down) {
        this.refused += 1;
        throw new BusUnavailableError('broker unreachable');
      }
      await inner.publishEnvelope(kind, envelope);
    },
  };
}

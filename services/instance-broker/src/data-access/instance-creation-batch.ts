import { batchPerTurn } from '@overcast/db';
import type { Kysely } from 'kysely';
import type { InstanceTables } from './instances-table';
import { createInstancesStatement, type InstanceCreation } from './instance-writes';
import type { InstanceQuotaSettings } from './quota-repository';

/** What one write of a batch came to: a failure is answered to that write's caller alone. */
type WriteOutcome = { ok: true } | { ok: false; error: unknown };

const written: WriteOutcome = { ok: true };

/**
 * Every create of one event-loop turn in one statement (createInstancesStatement), the busiest write there is:
 * a transaction each cost more than the work. A statement fails whole, so when a batch fails each of its writes
 * goes again on its own: only the write that cannot be stored (a tenant over its quota, a key already held)
 * fails, never the other requests (other tenants') of its turn.
 */
export function createInstanceCreationBatch(
  db: Kysely<InstanceTables>,
  schema: string,
  quota: InstanceQuotaSettings,
): (creation: InstanceCreation) => Promise<void> {
  const insert = createInstancesStatement(db, schema, quota);

  const insertOne = (creation: InstanceCreation): Promise<WriteOutcome> =>
    insert([creation]).then(
      () => written,
      (error: unknown) => ({ ok: false, error }),
    );

  const insertAll = batchPerTurn(async (creations: InstanceCreation[]) => {
    const [only] = creations;
    if (creations.length === 1 && only) return new Map([[only, await insertOne(only)]]);
    try {
      await insert(creations);
      return new Map(creations.map((creation) => [creation, written]));
    } catch {
      // The statement wrote nothing: the creates of this turn are retried one by one, each answering for itself.
      return new Map(
        await Promise.all(creations.map(async (creation) => [creation, await insertOne(creation)] as const)),
      );
    }
  });

  return async (creation) => {
    const outcome = await insertAll(creation);
    if (outcome && !outcome.ok) throw outcome.error;
  };
}

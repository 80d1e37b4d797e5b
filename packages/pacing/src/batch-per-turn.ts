import { PerTurnGroups } from './per-turn-groups';

interface Waiter<V> {
  resolve(value: V | undefined): void;
  reject(error: unknown): void;
}

/**
 * Coalesces the lookups asked for within one event-loop turn into one call of `loadMany` (one query, one round
 * trip) of at most `maxBatch` distinct keys: a busy service answering dozens of reads at once sends Postgres a
 * handful of `= ANY($1)` queries instead of dozens of single ones. Each caller gets its key's value, or undefined
 * when `loadMany` found none; a failed batch fails each of its callers.
 */
export function batchPerTurn<K, V>(
  loadMany: (keys: K[]) => Promise<ReadonlyMap<K, V>>,
  maxBatch = 100,
): (key: K) => Promise<V | undefined> {
  // Callers of the keys not yet sent; a key asked again in the same turn joins its waiters instead of the batch.
  const waiting = new Map<K, Waiter<V>[]>();
  const keys = new PerTurnGroups<'lookups', K>(maxBatch, (_group, batch) => {
    const waiters = batch.map((key) => {
      const forKey = waiting.get(key) ?? [];
      waiting.delete(key);
      return forKey;
    });
    void load(batch, waiters);
  });

  async function load(batch: K[], waiters: Waiter<V>[][]): Promise<void> {
    try {
      const found = await loadMany(batch);
      batch.forEach((key, index) => waiters[index]?.forEach((waiter) => waiter.resolve(found.get(key))));
    } catch (error) {
      for (const forKey of waiters) for (const waiter of forKey) waiter.reject(error);
    }
  }

  return (key) =>
    new Promise<V | undefined>((resolve, reject) => {
      const waiters = waiting.get(key);
      if (waiters) return void waiters.push({ resolve, reject });
      waiting.set(key, [{ resolve, reject }]);
      keys.add('lookups', key);
    });
}

interface Waiter<V> {
  resolve(value: V | undefined): void;
  reject(error: unknown): void;
}

/**
 * Coalesces the lookups asked for within one event-loop turn into one call of `loadMany` (one query, one round
 * trip) of at most `maxBatch` keys: a busy service answering dozens of reads at once sends Postgres a handful
 * of `= ANY($1)` queries instead of dozens of single ones. Each caller gets its key's value, or undefined when
 * `loadMany` found none; a failed batch fails each of its callers.
 */
export function batchPerTurn<K, V>(
  loadMany: (keys: K[]) => Promise<ReadonlyMap<K, V>>,
  maxBatch = 100,
): (key: K) => Promise<V | undefined> {
  let waiting = new Map<K, Waiter<V>[]>();
  let scheduled = false;

  async function load(batch: [K, Waiter<V>[]][]): Promise<void> {
    try {
      const found = await loadMany(batch.map(([key]) => key));
      for (const [key, waiters] of batch) for (const waiter of waiters) waiter.resolve(found.get(key));
    } catch (error) {
      for (const [, waiters] of batch) for (const waiter of waiters) waiter.reject(error);
    }
  }

  function flush(): void {
    scheduled = false;
    const entries = [...waiting];
    waiting = new Map();
    for (let start = 0; start < entries.length; start += maxBatch) void load(entries.slice(start, start + maxBatch));
  }

  return (key) =>
    new Promise<V | undefined>((resolve, reject) => {
      const waiters = waiting.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else waiting.set(key, [{ resolve, reject }]);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}

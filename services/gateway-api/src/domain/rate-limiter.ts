/** Where every replica's counts meet: the gateway's own Postgres. */
export interface RateLimitStore {
  /** Add `deltas` to the window's counters and return the totals of those keys and of `readKeys`. */
  addAndRead(
    windowStart: number,
    deltas: ReadonlyMap<string, number>,
    readKeys: readonly string[],
  ): Promise<Map<string, number>>;
  deleteWindowsBefore(windowStart: number): Promise<void>;
}

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the current window ends (Retry-After). */
  resetSeconds: number;
}

interface Counter {
  /** The total over all replicas as of the last sync (including what this replica flushed). */
  shared: number;
  /** Counted here since the last sync, not yet flushed. */
  pending: number;
}

interface Window {
  start: number;
  counters: Map<string, Counter>;
}

export interface SharedRateLimiterOptions {
  store: RateLimitStore;
  windowSeconds: number;
  /** Keys whose totals are refreshed per sync, bounding one sync's work under many distinct clients. */
  maxKeysReadPerSync?: number;
  now?: () => number;
}

/**
 * Fixed-window counters shared by every gateway replica without a database round trip per request:
 * decisions use the last known shared total plus this replica's unflushed count, and `sync()` (run every
 * ~100-250 ms) flushes local counts in one statement and reads back the totals. Overshoot is bounded by
 * what the replicas admit between two syncs. If the database is unreachable, counts stay local until it returns.
 */
export class SharedRateLimiter {
  private current: Window;
  private unflushed: Window[] = [];
  private readonly now: () => number;

  constructor(private readonly options: SharedRateLimiterOptions) {
    this.now = options.now ?? Date.now;
    this.current = { start: this.windowStartAt(this.now()), counters: new Map() };
  }

  /** Count one request against `key` if it is within `limit`; refused requests are not counted. */
  consume(key: string, limit: number): RateLimitDecision {
    const decision = this.peek(key, limit);
    if (decision.allowed) {
      this.counter(key).pending += 1;
      decision.remaining = Math.max(0, decision.remaining - 1);
    }
    return decision;
  }

  /** Whether `key` is still within `limit`, without counting. */
  peek(key: string, limit: number): RateLimitDecision {
    const window = this.roll();
    const counter = window.counters.get(key);
    const used = counter ? counter.shared + counter.pending : 0;
    return {
      allowed: used < limit,
      limit,
      remaining: Math.max(0, limit - used),
      resetSeconds: this.resetSeconds(window),
    };
  }

  /** Count an event (e.g. a failed authentication) regardless of any limit. */
  record(key: string): void {
    this.counter(key).pending += 1;
  }

  async sync(): Promise<void> {
    const window = this.roll();
    for (const old of this.unflushed.splice(0)) {
      const deltas = this.takePending(old);
      if (deltas.size === 0) continue;
      await this.options.store.addAndRead(old.start, deltas, []).catch((error: unknown) => {
        this.restorePending(old, deltas);
        this.unflushed.push(old);
        throw error;
      });
    }
    const deltas = this.takePending(window);
    const readKeys = [...window.counters.keys()]
      .filter((key) => !deltas.has(key))
      .slice(0, this.options.maxKeysReadPerSync ?? 5000);
    if (deltas.size === 0 && readKeys.length === 0) return;
    let totals: Map<string, number>;
    try {
      totals = await this.options.store.addAndRead(window.start, deltas, readKeys);
    } catch (error) {
      this.restorePending(window, deltas);
      throw error;
    }
    for (const [key, total] of totals) {
      const counter = window.counters.get(key);
      if (counter) counter.shared = Math.max(total, counter.shared);
    }
  }

  /** Drop counters of windows that ended long ago (any replica may do it; it is idempotent). */
  async deleteExpired(): Promise<void> {
    await this.options.store.deleteWindowsBefore(this.current.start - this.options.windowSeconds);
  }

  private counter(key: string): Counter {
    const window = this.roll();
    let counter = window.counters.get(key);
    if (!counter) window.counters.set(key, (counter = { shared: 0, pending: 0 }));
    return counter;
  }

  private roll(): Window {
    const start = this.windowStartAt(this.now());
    if (start !== this.current.start) {
      if ([...this.current.counters.values()].some((counter) => counter.pending > 0)) this.unflushed.push(this.current);
      this.current = { start, counters: new Map() };
    }
    return this.current;
  }

  private takePending(window: Window): Map<string, number> {
    const deltas = new Map<string, number>();
    for (const [key, counter] of window.counters) {
      if (counter.pending === 0) continue;
      deltas.set(key, counter.pending);
      counter.shared += counter.pending;
      counter.pending = 0;
    }
    return deltas;
  }

  private restorePending(window: Window, deltas: ReadonlyMap<string, number>): void {
    for (const [key, delta] of deltas) {
      const counter = window.counters.get(key);
      if (!counter) continue;
      counter.shared -= delta;
      counter.pending += delta;
    }
  }

  private windowStartAt(timeMs: number): number {
    const seconds = Math.floor(timeMs / 1000);
    return seconds - (seconds % this.options.windowSeconds);
  }

  private resetSeconds(window: Window): number {
    return Math.max(1, Math.ceil(window.start + this.options.windowSeconds - this.now() / 1000));
  }
}

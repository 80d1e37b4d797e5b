import { SharedRateLimiter, type RateLimitStore } from './rate-limiter';

/** The store's contract in memory (the Postgres implementation is exercised in test/rate-limits.test.ts). */
function memoryStore(): RateLimitStore & { totals: Map<string, number>; failing: boolean } {
  const totals = new Map<string, number>();
  return {
    totals,
    failing: false,
    async addAndRead(windowStart, deltas, readKeys) {
      if (this.failing) throw new Error('database unreachable');
      const answer = new Map<string, number>();
      for (const [key, delta] of deltas) {
        const id = `${windowStart}:${key}`;
        totals.set(id, (totals.get(id) ?? 0) + delta);
        answer.set(key, totals.get(id) ?? 0);
      }
      for (const key of readKeys) {
        const total = totals.get(`${windowStart}:${key}`);
        if (total !== undefined) answer.set(key, total);
      }
      return answer;
    },
    async deleteWindowsBefore() {},
  };
}

describe('SharedRateLimiter', () => {
  it('admits up to the limit and then refuses with the seconds left in the window', () => {
    const clock = { now: 10_000 };
    const limiter = new SharedRateLimiter({ store: memoryStore(), windowSeconds: 60, now: () => clock.now });
    const decisions = Array.from({ length: 4 }, () => limiter.consume('tenant:a', 3));
    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true, false]);
    expect(decisions[3]).toMatchObject({ remaining: 0, resetSeconds: 50 });
  });

  it('sees what other replicas counted once both synced', async () => {
    const store = memoryStore();
    const first = new SharedRateLimiter({ store, windowSeconds: 60, now: () => 0 });
    const second = new SharedRateLimiter({ store, windowSeconds: 60, now: () => 0 });
    for (let i = 0; i < 3; i += 1) first.consume('tenant:a', 5);
    second.consume('tenant:a', 5);
    await first.sync();
    await second.sync();
    expect(second.consume('tenant:a', 5).allowed).toBe(true);
    expect(second.consume('tenant:a', 5).allowed).toBe(false);
    await second.sync();
    await first.sync();
    expect(first.peek('tenant:a', 5).allowed).toBe(false);
  });

  it('starts a fresh count in a new window and still flushes the old one', async () => {
    const store = memoryStore();
    const clock = { now: 0 };
    const limiter = new SharedRateLimiter({ store, windowSeconds: 60, now: () => clock.now });
    limiter.consume('tenant:a', 1);
    clock.now = 60_000;
    expect(limiter.consume('tenant:a', 1).allowed).toBe(true);
    await limiter.sync();
    expect(store.totals).toEqual(
      new Map([
        ['0:tenant:a', 1],
        ['60:tenant:a', 1],
      ]),
    );
  });

  it('keeps counting locally while the store is down and flushes once it is back', async () => {
    const store = memoryStore();
    const limiter = new SharedRateLimiter({ store, windowSeconds: 60, now: () => 0 });
    limiter.consume('tenant:a', 10);
    store.failing = true;
    await expect(limiter.sync()).rejects.toThrow('database unreachable');
    limiter.record('tenant:a');
    store.failing = false;
    await limiter.sync();
    expect(store.totals.get('0:tenant:a')).toBe(2);
    expect(limiter.peek('tenant:a', 10).remaining).toBe(8);
  });
});

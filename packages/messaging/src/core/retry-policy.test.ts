import { backoffDelayMs } from '@overcast/pacing';
import { resolveRetryPolicy, retryTier, retryTierCount } from './retry-policy';

describe('retry policy', () => {
  it('fills the defaults and lets later layers win', () => {
    expect(resolveRetryPolicy({ maxAttempts: 3 }, { baseDelayMs: 10, maxDelayMs: undefined })).toEqual({
      maxAttempts: 3,
      baseDelayMs: 10,
      maxDelayMs: 60_000,
    });
  });

  it('refuses invalid numbers naming the field', () => {
    expect(() => resolveRetryPolicy({ maxAttempts: 0 })).toThrow('retry.maxAttempts must be at least 1');
    expect(() => resolveRetryPolicy({ baseDelayMs: -1 })).toThrow('retry.baseDelayMs must be a non-negative integer');
    expect(() => resolveRetryPolicy({ baseDelayMs: 100, maxDelayMs: 10 })).toThrow(
      'retry.maxDelayMs (10) must not be below',
    );
  });

  it('is a backoff policy: the delay doubles per attempt between half and all of the ceiling, capped', () => {
    const policy = resolveRetryPolicy({ baseDelayMs: 100, maxDelayMs: 1000 });
    expect(backoffDelayMs(policy, 1, () => 0)).toBe(50);
    expect(backoffDelayMs(policy, 1, () => 1)).toBe(100);
    expect(backoffDelayMs(policy, 3, () => 1)).toBe(400);
    expect(backoffDelayMs(policy, 30, () => 1)).toBe(1000);
  });

  it('needs one delay tier per retry until the backoff reaches its cap', () => {
    expect(retryTierCount(resolveRetryPolicy({ maxAttempts: 1 }))).toBe(0);
    expect(retryTierCount(resolveRetryPolicy({ maxAttempts: 5 }))).toBe(4);
    const capped = resolveRetryPolicy({ maxAttempts: 10, baseDelayMs: 10, maxDelayMs: 40 });
    expect(retryTierCount(capped)).toBe(3);
    expect(retryTier(capped, 2)).toBe(2);
    expect(retryTier(capped, 9)).toBe(3);
  });
});

import { backoffCeilingMs, backoffDelayMs } from './backoff';

const policy = { baseDelayMs: 100, maxDelayMs: 1000 };

describe('backoffDelayMs', () => {
  it('doubles from the first delay after each failure, up to the cap', () => {
    expect([1, 2, 3, 4, 5, 50].map((failures) => backoffCeilingMs(policy, failures))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
  });

  it('keeps half of the ceiling and draws the other half at random', () => {
    expect(backoffDelayMs(policy, 3, () => 0)).toBe(200);
    expect(backoffDelayMs(policy, 3, () => 0.5)).toBe(300);
    expect(backoffDelayMs(policy, 3, () => 0.999999)).toBe(400);
  });

  it('stays a number for any count of failures, also with a first delay of zero', () => {
    expect(backoffDelayMs({ baseDelayMs: 0, maxDelayMs: 0 }, 5000)).toBe(0);
    expect(backoffCeilingMs({ baseDelayMs: 1, maxDelayMs: 60_000 }, 2000)).toBe(60_000);
    expect(backoffCeilingMs(policy, 0)).toBe(100);
  });
});

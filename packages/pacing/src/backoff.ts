/** How long to wait after failures: the first delay, doubled after each further failure up to the cap. */
export interface BackoffPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
}

// 2^40 × any sensible base is past every cap; without a bound, 2^1024 is Infinity and 0 × Infinity is NaN.
const maxDoublings = 40;

/** The delay before the try that follows the `failures`-th consecutive failure (1-based), before jitter. */
export function backoffCeilingMs(policy: BackoffPolicy, failures: number): number {
  const doublings = Math.min(Math.max(failures - 1, 0), maxDoublings);
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** doublings);
}

/**
 * Exponential backoff with "equal jitter": half of the ceiling is fixed so delays keep growing, half is random
 * so replicas that failed together do not try again together. The only backoff formula of the tree: bus
 * retries, reconnects, the outbox (its SQL is handed these delays) and the broker's follow-up looks use it.
 */
export function backoffDelayMs(policy: BackoffPolicy, failures: number, random: () => number = Math.random): number {
  const ceiling = backoffCeilingMs(policy, failures);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

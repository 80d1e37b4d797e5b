import { backoffCeilingMs } from '@overcast/pacing';
import type { RetryPolicy } from '../bus';

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 60_000 };

function nonNegativeInteger(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 0)
    throw new TypeError(`retry.${field} must be a non-negative integer (got ${value})`);
  return value;
}

/** Later layers win: bus defaults, then the consumer's own. Invalid numbers are refused, naming the field. */
export function resolveRetryPolicy(...layers: (Partial<RetryPolicy> | undefined)[]): RetryPolicy {
  const policy = Object.assign(
    {},
    defaultRetryPolicy,
    ...layers.map((layer) => stripUndefined(layer ?? {})),
  ) as RetryPolicy;
  nonNegativeInteger('maxAttempts', policy.maxAttempts);
  if (policy.maxAttempts < 1) throw new TypeError(`retry.maxAttempts must be at least 1 (got ${policy.maxAttempts})`);
  nonNegativeInteger('baseDelayMs', policy.baseDelayMs);
  nonNegativeInteger('maxDelayMs', policy.maxDelayMs);
  if (policy.maxDelayMs < policy.baseDelayMs) {
    throw new TypeError(
      `retry.maxDelayMs (${policy.maxDelayMs}) must not be below retry.baseDelayMs (${policy.baseDelayMs})`,
    );
  }
  return policy;
}

function stripUndefined(layer: Partial<RetryPolicy>): Partial<RetryPolicy> {
  return Object.fromEntries(Object.entries(layer).filter(([, value]) => value !== undefined));
}

/**
 * How many delay queues a work queue needs: one per retry, except that retries whose backoff has
 * reached maxDelayMs share the last one. Within one tier delays differ only by jitter, which bounds
 * the head-of-line wait that per-message TTLs cause (a queue expires messages from its head only).
 */
export function retryTierCount(policy: RetryPolicy): number {
  const retries = policy.maxAttempts - 1;
  let tiers = Math.min(1, retries);
  while (tiers < retries && backoffCeilingMs(policy, tiers) < policy.maxDelayMs) tiers += 1;
  return tiers;
}

/** The delay tier a message enters after its `failedAttempt`-th attempt failed (1-based). */
export function retryTier(policy: RetryPolicy, failedAttempt: number): number {
  return Math.min(failedAttempt, retryTierCount(policy));
}

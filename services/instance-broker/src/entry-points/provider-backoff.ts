/**
 * Per-provider backoff for periodic jobs: after n consecutive failures a provider is skipped for
 * n × interval (cloud-brain's refresh rule), capped, so a failing cloud is not hammered every period
 * while the healthy ones keep their pace.
 */
export function createProviderBackoff(intervalMs: number, maxDelayMs: number, now: () => number = Date.now) {
  const failures = new Map<string, { count: number; retryAt: number }>();
  return {
    isDue(provider: string): boolean {
      const state = failures.get(provider);
      return !state || now() >= state.retryAt;
    },
    succeeded(provider: string): void {
      failures.delete(provider);
    },
    /** Returns the delay before the next try. */
    failed(provider: string): number {
      const count = (failures.get(provider)?.count ?? 0) + 1;
      const delayMs = Math.min(intervalMs * count, maxDelayMs);
      failures.set(provider, { count, retryAt: now() + delayMs });
      return delayMs;
    },
  };
}

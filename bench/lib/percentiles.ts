/** Nearest-rank percentile of unsorted samples (p in 0..1); NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** "p50 12.3 ms  p99 45.6 ms  max 51.0 ms (n=300)". */
export function formatLatencies(samples: readonly number[]): string {
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  return `p50 ${ms(percentile(samples, 0.5))}  p99 ${ms(percentile(samples, 0.99))}  max ${ms(percentile(samples, 1))} (n=${samples.length})`;
}

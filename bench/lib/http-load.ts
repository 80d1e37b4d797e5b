import autocannon from 'autocannon';

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  /** Responses per HTTP status. */
  statusCounts: Record<number, number>;
  /** Responses received in all. */
  total: number;
}

/** What one request looks like; `setup` may change it before every send (fresh ids, distinct tokens). */
export interface LoadRequest {
  method?: 'GET' | 'POST';
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setup?: (request: { path?: string; headers?: Record<string, string | string[] | undefined>; body?: string }) => {
    path?: string;
    headers?: Record<string, string | string[] | undefined>;
    body?: string;
  };
}

export interface LoadOptions {
  url: string;
  headers?: Record<string, string>;
  /** Method, body and per-request variation; default a plain GET of `url`. */
  request?: LoadRequest;
  connections?: number;
  durationSeconds?: number;
  /** A new connection after this many requests on one (autocannon's reconnectRate); default: kept for the run. */
  requestsPerConnection?: number;
}

/** Drive `url` flat out with autocannon, a closed loop (same load generator for every ratio, so ratios are fair). */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const request = options.request;
  // Only what is set: autocannon treats a key that is present but undefined as a value.
  const result = await autocannon({
    url: options.url,
    connections: options.connections ?? 50,
    duration: options.durationSeconds ?? 8,
    ...(options.headers && { headers: options.headers }),
    ...(options.requestsPerConnection && { reconnectRate: options.requestsPerConnection }),
    ...(request?.method && { method: request.method }),
    ...(request?.body && { body: request.body }),
    ...(request?.setup && { requests: [{ setupRequest: request.setup as never }] }),
  });
  const statusCounts: Record<number, number> = {};
  for (const [status, stats] of Object.entries(result.statusCodeStats ?? {}))
    statusCounts[Number(status)] = stats.count ?? 0;
  return {
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
    statusCounts,
    total: Object.values(statusCounts).reduce((sum, count) => sum + count, 0),
  };
}

export function formatLoad(label: string, result: LoadResult, ceiling?: LoadResult): string {
  const ratio = ceiling
    ? `  (${Math.round((100 * result.requestsPerSecond) / ceiling.requestsPerSecond)}% of ceiling)`
    : '';
  const failures = result.errors + result.non2xx > 0 ? `  errors=${result.errors} non2xx=${result.non2xx}` : '';
  return `${label.padEnd(44)} ${String(result.requestsPerSecond).padStart(7)} req/s  p50 ${result.p50Ms} ms  p99 ${result.p99Ms} ms${ratio}${failures}`;
}

/** "401×30 429×7970": how a run's responses split by status, for refusals and failures. */
export function formatStatusCounts(result: LoadResult): string {
  return Object.entries(result.statusCounts)
    .map(([status, count]) => `${status}×${count}`)
    .join(' ');
}

/**
 * When a request may be sent again, and how long to wait first. Hand-written rather than taken from a retry
 * library: p-retry and exponential-backoff cannot wait the delay a server names per attempt (`Retry-After`),
 * and ky, which can, retries a status only by throwing after it has read the body that openapi-fetch must
 * still parse. What is left is a loop (send-with-retries.ts) and the two functions below.
 */

/** Statuses that say "later" rather than "no": rate limited, or a service behind the gateway not answering. */
export const retryableStatuses: ReadonlySet<number> = new Set([429, 503]);

/** Socket failures worth another attempt: refused (nothing listening yet), reset or closed mid-exchange. */
export const retryableSocketErrors: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const idempotentMethods: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/**
 * Sending it twice does no more than sending it once: a read, a delete, or a create carrying an
 * Idempotency-Key (the server answers a repeated key with the first result). A POST without a key may have
 * been carried out before the connection broke, so it is never retried.
 */
export function isRetrySafe(request: Request): boolean {
  return idempotentMethods.has(request.method) || request.headers.has('idempotency-key');
}

export interface BackoffSettings {
  /** The ceiling of the first delay; each later ceiling doubles. */
  initialDelayMs: number;
  /** No ceiling grows past this. */
  maxDelayMs: number;
}

/**
 * Exponential backoff with full jitter (a uniform delay below the ceiling), so clients that failed together
 * do not come back together. `retry` counts from 0.
 */
export function backoffDelayMs(settings: BackoffSettings, retry: number, random: () => number): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.initialDelayMs * 2 ** retry);
  return Math.round(random() * ceiling);
}

/** `Retry-After` as delay-seconds or an HTTP-date, in milliseconds from `now`; undefined when absent or unreadable. */
export function retryAfterMs(headers: Headers, now: number): number | undefined {
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

import { sleep } from './sleep.ts';
import { OvercastConnectionError, OvercastTimeoutError } from '../errors/connection-errors.ts';
import type { BackoffSettings } from './retry-policy.ts';
import { backoffDelayMs, isRetrySafe, retryableSocketErrors, retryableStatuses, retryAfterMs } from './retry-policy.ts';

export type Fetch = (request: Request) => Promise<Response>;

export interface TransportSettings extends BackoffSettings {
  fetch: Fetch;
  baseUrl: string;
  maxRetries: number;
  timeoutMs: number;
  /** A server asking for a longer wait than this gets its error back at once instead of a stalled caller. */
  maxRetryAfterMs: number;
  random: () => number;
}

/** What a caller may set for one call; each overrides the client's setting. */
export interface RequestOptions {
  /** Milliseconds each attempt may take before it is abandoned (client default: 60 s). */
  timeout?: number;
  /** Aborts the call, including a wait between retries; the abort reason is thrown as is. */
  signal?: AbortSignal;
  /** Retries after 429, 503 and broken connections, where a retry is safe (client default: 2). */
  maxRetries?: number;
}

/**
 * Sends a request, and sends it again after a 429, a 503 or a broken connection while retries are left and a
 * retry is safe, waiting what `Retry-After` says, else an exponential backoff with jitter. Every attempt sends
 * a copy of the same request, so a create's Idempotency-Key is the same on each.
 */
export async function sendWithRetries(
  request: Request,
  settings: TransportSettings,
  options: RequestOptions = {},
): Promise<Response> {
  const maxRetries = options.maxRetries ?? settings.maxRetries;
  const timeoutMs = options.timeout ?? settings.timeoutMs;
  const retrySafe = isRetrySafe(request);
  for (let retry = 0; ; retry += 1) {
    options.signal?.throwIfAborted();
    const mayRetry = retrySafe && retry < maxRetries;
    const deadline = attemptDeadline(timeoutMs);
    const timeout = deadline.signal;
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let failure: OvercastConnectionError | OvercastTimeoutError;
    try {
      // A copy only where another attempt may follow: a copy tees the body, and a streamed body (a disk image of
      // gigabytes) would be buffered whole for an attempt that is never made.
      const attempt = settings.fetch(new Request(mayRetry ? request.clone() : request, { signal }));
      const response = await Promise.race([attempt, deadline.expired]);
      if (!mayRetry || !retryableStatuses.has(response.status)) return response;
      const asked = retryAfterMs(response.headers, Date.now());
      if (asked !== undefined && asked > settings.maxRetryAfterMs) return response;
      await response.body?.cancel();
      await sleep(asked ?? backoffDelayMs(settings, retry, settings.random), options.signal);
      continue;
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (timeout.aborted) failure = new OvercastTimeoutError(settings.baseUrl, timeoutMs);
      else failure = new OvercastConnectionError(settings.baseUrl, error);
    }
    const transient = failure instanceof OvercastTimeoutError || retryableSocketErrors.has(failure.errorCode ?? '');
    if (!mayRetry || !transient) throw failure;
    await sleep(backoffDelayMs(settings, retry, settings.random), options.signal);
  }
}

/**
 * One attempt's deadline: a signal that aborts it after `ms` (its body reads too), and a promise that rejects
 * then. Not `AbortSignal.timeout`: its timer holds the signal weakly, and so does the Request that follows it
 * (nodejs/node#55428, nodejs/undici#4068), so under GC pressure a hung attempt was never abandoned (an SDK test
 * waited 30 s for a 150 ms timeout in CI). This timer holds its controller, and the attempt is raced against
 * `expired`, so the caller gets its timeout even where the abort does not reach the socket.
 */
function attemptDeadline(ms: number): { signal: AbortSignal; expired: Promise<never> } {
  const controller = new AbortController();
  const expired = new Promise<never>((_resolve, reject) => {
    const timer = setTimeout(() => {
      const reason = new DOMException(`no answer within ${ms} ms`, 'TimeoutError');
      controller.abort(reason);
      reject(reason);
    }, ms);
    // Like AbortSignal.timeout's, the timer alone keeps no process alive.
    timer.unref();
  });
  // Settled after the attempt ended, nobody awaits it.
  expired.catch(() => undefined);
  return { signal: controller.signal, expired };
}

import { OvercastError } from './api-errors.ts';

/** The API could not be reached, or the connection broke before an answer (refused, DNS, TLS, reset). */
export class OvercastConnectionError extends OvercastError {
  override name = 'OvercastConnectionError';
  readonly url: string;
  /** The socket error's code when there was one (`ECONNREFUSED`, `ECONNRESET`, `UND_ERR_SOCKET`…). */
  readonly errorCode: string | undefined;

  constructor(url: string, cause: unknown) {
    const errorCode = socketErrorCode(cause);
    super(`cannot reach ${url}: ${errorCode ?? describeCause(cause)}`, { cause });
    this.url = url;
    this.errorCode = errorCode;
  }
}

/** No answer within the request's `timeout` (each attempt has the whole timeout). */
export class OvercastTimeoutError extends OvercastError {
  override name = 'OvercastTimeoutError';
  readonly url: string;
  readonly timeoutMs: number;

  constructor(url: string, timeoutMs: number) {
    super(`no answer from ${url} within ${timeoutMs} ms`);
    this.url = url;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * undici hides the socket error (ECONNREFUSED…) in `cause`; that is the useful part. Duck-typed, not
 * instanceof: fetch's errors may come from another realm (test runners, workers).
 */
export function socketErrorCode(error: unknown): string | undefined {
  const inner = readField(error, 'cause');
  const code = readField(inner, 'code') ?? readField(error, 'code');
  return typeof code === 'string' ? code : undefined;
}

function describeCause(error: unknown): string {
  const message = readField(readField(error, 'cause'), 'message') ?? readField(error, 'message');
  return typeof message === 'string' ? message : String(error);
}

function readField(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && name in value
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

import type { ErrorCode, ErrorDetail } from './types';

/** When an error body is not the envelope (a proxy's HTML page, say), the status still names a code. */
const codeByStatus: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  410: 'gone',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  431: 'headers_too_large',
  422: 'unprocessable',
  429: 'rate_limited',
  502: 'unavailable',
  503: 'unavailable',
  504: 'timeout',
};

/** A non-2xx answer from the Overcast API. */
export class OvercastApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
  readonly details: ErrorDetail[];
  readonly requestId: string | undefined;
  /** The parsed body as received, for legacy fields such as cloud-brain's `errors`. */
  readonly body: unknown;

  constructor(init: {
    status: number;
    code: ErrorCode;
    message: string;
    details?: ErrorDetail[];
    requestId?: string;
    body?: unknown;
  }) {
    super(init.message);
    this.name = 'OvercastApiError';
    this.status = init.status;
    this.code = init.code;
    this.details = init.details ?? [];
    this.requestId = init.requestId;
    this.body = init.body;
  }

  static fromResponse(response: Response, body: unknown): OvercastApiError {
    const envelope = readEnvelope(body);
    const requestId = envelope?.request_id ?? response.headers.get('x-request-id') ?? undefined;
    return new OvercastApiError({
      status: response.status,
      code: envelope?.code ?? codeByStatus[response.status] ?? 'internal',
      message: envelope?.message ?? `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
      details: envelope?.details ?? [],
      ...(requestId === undefined ? {} : { requestId }),
      body,
    });
  }
}

interface EnvelopeError {
  code: ErrorCode;
  message: string;
  details?: ErrorDetail[];
  request_id?: string;
}

function readEnvelope(body: unknown): EnvelopeError | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined;
  const error = body.error;
  if (typeof error !== 'object' || error === null) return undefined;
  const candidate = error as Partial<EnvelopeError>;
  if (typeof candidate.code !== 'string' || typeof candidate.message !== 'string') return undefined;
  return {
    code: candidate.code,
    message: candidate.message,
    details: Array.isArray(candidate.details) ? candidate.details : [],
    ...(typeof candidate.request_id === 'string' ? { request_id: candidate.request_id } : {}),
  };
}

/** The API could not be reached at all (refused, DNS, TLS, reset). */
export class OvercastConnectionError extends Error {
  readonly url: string;

  constructor(url: string, cause: unknown) {
    super(`cannot reach ${url}: ${describeCause(cause)}`, { cause });
    this.name = 'OvercastConnectionError';
    this.url = url;
  }
}

function describeCause(error: unknown): string {
  // undici hides the socket error (ECONNREFUSED…) in `cause`; that is the useful part. Duck-typed, not
  // instanceof: fetch's errors may come from another realm (test runners, workers).
  const inner = readField(error, 'cause');
  const code = readField(inner, 'code') ?? readField(error, 'code');
  if (typeof code === 'string') return code;
  const message = readField(inner, 'message') ?? readField(error, 'message');
  return typeof message === 'string' ? message : String(error);
}

function readField(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && name in value
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

/** `waitFor` gave up: the deadline passed, or the instance reached a state it cannot leave. */
export class InstanceWaitError extends Error {
  readonly reason: 'timeout' | 'unreachable';
  readonly lastState: string | undefined;

  constructor(message: string, reason: 'timeout' | 'unreachable', lastState: string | undefined) {
    super(message);
    this.name = 'InstanceWaitError';
    this.reason = reason;
    this.lastState = lastState;
  }
}

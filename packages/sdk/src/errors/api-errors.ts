import type { ErrorCode, ErrorDetail } from '../types.ts';

/** Every error the SDK throws on purpose extends this, so one `instanceof` separates them from bugs. */
export class OvercastError extends Error {
  override name = 'OvercastError';
}

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
  422: 'unprocessable',
  429: 'rate_limited',
  431: 'headers_too_large',
  502: 'unavailable',
  503: 'unavailable',
  504: 'timeout',
};

export interface ApiErrorInit {
  status: number;
  code: ErrorCode;
  message: string;
  details?: ErrorDetail[];
  requestId?: string;
  body?: unknown;
  headers?: Headers;
}

/** A non-2xx answer from the Overcast API; `fromResponse` picks the subclass of its `code`. */
export class OvercastApiError extends OvercastError {
  override name = 'OvercastApiError';
  readonly status: number;
  readonly code: ErrorCode;
  readonly details: ErrorDetail[];
  readonly requestId: string | undefined;
  /** The parsed body as received, for legacy fields such as cloud-brain's `errors`. */
  readonly body: unknown;

  constructor(init: ApiErrorInit) {
    super(init.message);
    this.status = init.status;
    this.code = init.code;
    this.details = init.details ?? [];
    this.requestId = init.requestId;
    this.body = init.body;
  }

  static fromResponse(response: Response, body: unknown): OvercastApiError {
    const envelope = readEnvelope(body);
    const requestId = envelope?.request_id ?? response.headers.get('x-request-id') ?? undefined;
    const code = envelope?.code ?? codeByStatus[response.status] ?? 'internal';
    const ErrorClass = errorClassByCode[code] ?? OvercastApiError;
    return new ErrorClass({
      status: response.status,
      code,
      message: envelope?.message ?? `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
      details: envelope?.details ?? [],
      ...(requestId === undefined ? {} : { requestId }),
      body,
      headers: response.headers,
    });
  }
}

/** 400 `bad_request`: the request broke the spec; `details` names every field at once. */
export class ValidationError extends OvercastApiError {
  override name = 'ValidationError';
}
/** 401 `unauthenticated`: no token, or one the API does not know. */
export class AuthenticationError extends OvercastApiError {
  override name = 'AuthenticationError';
}
/** 403 `forbidden`: the token is valid but its role may not do this. */
export class PermissionDeniedError extends OvercastApiError {
  override name = 'PermissionDeniedError';
}
/** 403 `quota_exceeded`: the tenant has no room; waiting does not help, terminating something does. */
export class QuotaExceededError extends OvercastApiError {
  override name = 'QuotaExceededError';
}
/** 404 `not_found` (also another tenant's resource). */
export class NotFoundError extends OvercastApiError {
  override name = 'NotFoundError';
}
/** 405 `method_not_allowed`. */
export class MethodNotAllowedError extends OvercastApiError {
  override name = 'MethodNotAllowedError';
}
/** 409 `conflict`, e.g. an Idempotency-Key reused with a different body. */
export class ConflictError extends OvercastApiError {
  override name = 'ConflictError';
}
/** 410 `gone`. */
export class GoneError extends OvercastApiError {
  override name = 'GoneError';
}
/** 413 `payload_too_large`, 415 `unsupported_media_type`, 431 `headers_too_large`: the request's form. */
export class UnsupportedRequestError extends OvercastApiError {
  override name = 'UnsupportedRequestError';
}
/** 422 `unprocessable`: well formed, but not possible (an unknown provider, a console no provider keeps). */
export class UnprocessableEntityError extends OvercastApiError {
  override name = 'UnprocessableEntityError';
}
/** 429 `rate_limited`, thrown once the SDK's own retries are spent. */
export class RateLimitError extends OvercastApiError {
  override name = 'RateLimitError';
  /** Seconds the server asked to wait (`Retry-After`), when it said. */
  readonly retryAfterSeconds: number | undefined;

  constructor(init: ApiErrorInit) {
    super(init);
    const header = init.headers?.get('retry-after');
    this.retryAfterSeconds = header && /^\d+$/.test(header) ? Number(header) : undefined;
  }
}
/** 500 `internal`: a bug on the server; the request id finds it in the logs. */
export class InternalServerError extends OvercastApiError {
  override name = 'InternalServerError';
}
/** 502/503 `unavailable`: a service behind the gateway is not answering. */
export class ServiceUnavailableError extends OvercastApiError {
  override name = 'ServiceUnavailableError';
}
/** 504 `timeout`: a service behind the gateway answered too late. */
export class GatewayTimeoutError extends OvercastApiError {
  override name = 'GatewayTimeoutError';
}

/** Typed over the spec's closed set of codes: a code added to the spec is a compile error here until mapped. */
const errorClassByCode: Record<ErrorCode, new (init: ApiErrorInit) => OvercastApiError> = {
  bad_request: ValidationError,
  unauthenticated: AuthenticationError,
  forbidden: PermissionDeniedError,
  quota_exceeded: QuotaExceededError,
  not_found: NotFoundError,
  method_not_allowed: MethodNotAllowedError,
  conflict: ConflictError,
  gone: GoneError,
  payload_too_large: UnsupportedRequestError,
  headers_too_large: UnsupportedRequestError,
  unsupported_media_type: UnsupportedRequestError,
  unprocessable: UnprocessableEntityError,
  rate_limited: RateLimitError,
  internal: InternalServerError,
  unavailable: ServiceUnavailableError,
  timeout: GatewayTimeoutError,
};

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

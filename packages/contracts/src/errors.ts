import type { QuotaExcess } from './quotas';

/**
 * The closed set of error codes. They cross the bus (RPC replies) and reach HTTP clients, so a code
 * never changes meaning once shipped. service-kit maps each code to one HTTP status.
 */
export const errorCodes = [
  'bad_request', // malformed or invalid input (400)
  'unauthenticated', // no or invalid credentials (401)
  'forbidden', // authenticated but not allowed (403)
  'not_found', // unknown id, or another tenant's resource (404)
  'method_not_allowed', // (405)
  'conflict', // state conflict, duplicate name (409)
  'gone', // existed, now terminated (410)
  'payload_too_large', // (413)
  'headers_too_large', // request line and headers over the server's limit (431)
  'unsupported_media_type', // (415)
  'unprocessable', // well-formed but semantically invalid (422)
  'quota_exceeded', // a per-tenant limit on live resources would be exceeded; a detail names the quota (403)
  'rate_limited', // (429)
  'internal', // a bug; details are logged, never returned (500)
  'unavailable', // a dependency is down or not answering (503)
  'timeout', // a dependency answered too late (504)
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export interface ErrorDetail {
  /** Where the problem is, e.g. `body.instance_builds.count` or `deployment.services.web`. */
  path?: string;
  message: string;
  /** On `quota_exceeded`: the quota, its limit, what is in use and what was asked for. */
  quota?: QuotaExcess;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[];

  constructor(code: ErrorCode, message: string, options?: { details?: ErrorDetail[]; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options?.details ?? [];
  }

  toJSON(): SerializedAppError {
    return { code: this.code, message: this.message, details: this.details };
  }

  static fromJSON(value: SerializedAppError): AppError {
    return new AppError(value.code, value.message, { details: value.details });
  }
}

export interface SerializedAppError {
  code: ErrorCode;
  message: string;
  details: ErrorDetail[];
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

import type { ErrorCode } from '@overcast/contracts';

/** The one map from error code to HTTP status. A Record, so a new ErrorCode without a status fails to compile. */
export const httpStatusByErrorCode: Readonly<Record<ErrorCode, number>> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  headers_too_large: 431,
  unsupported_media_type: 415,
  unprocessable: 422,
  // 403, not 429: waiting does not help, freeing resources (or a higher limit) does.
  quota_exceeded: 403,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
  timeout: 504,
};

export function httpStatusOf(code: ErrorCode): number {
  return httpStatusByErrorCode[code];
}

// Where two codes share a status (403: forbidden, quota_exceeded), the first written above is the generic one.
const errorCodeByHttpStatus = new Map<number, ErrorCode>(
  Object.entries(httpStatusByErrorCode)
    .reverse()
    .map(([code, status]) => [status, code as ErrorCode]),
);

/** The reverse, for errors that only carry a status (http-errors from express and body-parser). */
export function errorCodeOfHttpStatus(status: number): ErrorCode {
  const code = errorCodeByHttpStatus.get(status);
  if (code !== undefined) return code;
  return status >= 400 && status < 500 ? 'bad_request' : 'internal';
}

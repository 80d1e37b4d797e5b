import type { ErrorCode } from '../src';
import {
  AuthenticationError,
  ConflictError,
  createClient,
  GatewayTimeoutError,
  GoneError,
  InternalServerError,
  MethodNotAllowedError,
  NotFoundError,
  OvercastApiError,
  OvercastError,
  PermissionDeniedError,
  QuotaExceededError,
  RateLimitError,
  ServiceUnavailableError,
  UnprocessableEntityError,
  UnsupportedRequestError,
  ValidationError,
} from '../src';
import type { FailingServer } from './support/failing-server';
import { startFailingServer } from './support/failing-server';

const cases: [ErrorCode, number, typeof OvercastApiError][] = [
  ['bad_request', 400, ValidationError],
  ['unauthenticated', 401, AuthenticationError],
  ['forbidden', 403, PermissionDeniedError],
  ['quota_exceeded', 403, QuotaExceededError],
  ['not_found', 404, NotFoundError],
  ['method_not_allowed', 405, MethodNotAllowedError],
  ['conflict', 409, ConflictError],
  ['gone', 410, GoneError],
  ['payload_too_large', 413, UnsupportedRequestError],
  ['unsupported_media_type', 415, UnsupportedRequestError],
  ['unprocessable', 422, UnprocessableEntityError],
  ['headers_too_large', 431, UnsupportedRequestError],
  ['rate_limited', 429, RateLimitError],
  ['internal', 500, InternalServerError],
  ['unavailable', 503, ServiceUnavailableError],
  ['timeout', 504, GatewayTimeoutError],
];

describe('error subclasses per code', () => {
  let server: FailingServer;
  beforeAll(async () => {
    server = await startFailingServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it.each(cases)('%s (%i) is thrown as %p with status, code, details and request id', async (code, status, Class) => {
    const details = [{ path: 'body.provider', message: 'is required' }];
    server.script({ status, json: { error: { code, message: `${code} happened`, details, request_id: 'req-9' } } });
    const error = await createClient({ baseUrl: server.url, maxRetries: 0 })
      .status()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(OvercastApiError);
    expect(error).toBeInstanceOf(OvercastError);
    expect(error).toMatchObject({
      name: Class.name,
      status,
      code,
      message: `${code} happened`,
      details,
      requestId: 'req-9',
    });
  });
});

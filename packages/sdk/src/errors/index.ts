export {
  OvercastError,
  OvercastApiError,
  ValidationError,
  AuthenticationError,
  PermissionDeniedError,
  QuotaExceededError,
  NotFoundError,
  MethodNotAllowedError,
  ConflictError,
  GoneError,
  UnsupportedRequestError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  ServiceUnavailableError,
  GatewayTimeoutError,
} from './api-errors.ts';
export type { ApiErrorInit } from './api-errors.ts';
export { OvercastConnectionError, OvercastTimeoutError } from './connection-errors.ts';
export { WaitError, InstanceWaitError, BuildWaitError, DeployWaitError } from './wait-errors.ts';

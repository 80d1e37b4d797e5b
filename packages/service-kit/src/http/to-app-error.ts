import { AppError, isAppError, type ErrorCode } from '@overcast/contracts';
import { errorCodeOfHttpStatus } from './error-status';

/** The shape of http-errors, which express and body-parser throw. */
interface HttpError {
  status: number;
  expose: boolean;
  message: string;
  type?: string;
  limit?: number;
}

function isHttpError(error: unknown): error is HttpError {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as Partial<HttpError>;
  return typeof candidate.status === 'number' && typeof candidate.expose === 'boolean';
}

/** body-parser's error types, reworded for API clients, each with a detail naming the part of the request at fault. */
function describeBodyError(error: HttpError): AppError | undefined {
  const refuse = (code: ErrorCode, message: string, path: string, detail: string) =>
    new AppError(code, message, { details: [{ path, message: detail }], cause: error });
  switch (error.type) {
    case 'entity.parse.failed':
      return refuse(
        'bad_request',
        `request body is not valid: ${error.message}`,
        'body',
        `is not valid JSON: ${error.message}`,
      );
    case 'entity.too.large': {
      const limit = `the limit of ${error.limit ?? '?'} bytes`;
      return refuse('payload_too_large', `request body is larger than ${limit}`, 'body', `is larger than ${limit}`);
    }
    case 'parameters.too.many':
      return refuse('payload_too_large', 'request body has too many parameters', 'body', 'has too many parameters');
    case 'encoding.unsupported':
      return refuse('unsupported_media_type', error.message, 'headers.content-encoding', error.message);
    case 'charset.unsupported':
      return refuse('unsupported_media_type', error.message, 'headers.content-type', error.message);
    case 'request.aborted':
      return refuse('bad_request', 'request was aborted by the client', 'body', 'was cut short by the client');
    case 'request.size.invalid':
      return refuse(
        'bad_request',
        'request body length does not match Content-Length',
        'body',
        'length does not match Content-Length',
      );
    default:
      return undefined;
  }
}

/**
 * Any thrown value as an AppError. Client errors from express/body-parser keep their (client-facing)
 * message; everything unknown becomes `internal` with the original kept as `cause` for the log only.
 */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (isHttpError(error)) {
    const described = describeBodyError(error);
    if (described) return described;
    if (error.expose && error.status >= 400 && error.status < 500) {
      return new AppError(errorCodeOfHttpStatus(error.status), error.message, { cause: error });
    }
  }
  return new AppError('internal', 'internal error', { cause: error });
}

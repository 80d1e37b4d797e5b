import { AppError, isAppError } from '@overcast/contracts';
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

/** body-parser's error types, reworded for API clients. */
function describeBodyError(error: HttpError): AppError | undefined {
  switch (error.type) {
    case 'entity.parse.failed':
      return new AppError('bad_request', `request body is not valid: ${error.message}`, { cause: error });
    case 'entity.too.large':
      return new AppError('payload_too_large', `request body is larger than the limit of ${error.limit ?? '?'} bytes`, {
        cause: error,
      });
    case 'parameters.too.many':
      return new AppError('payload_too_large', 'request body has too many parameters', { cause: error });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('unsupported_media_type', error.message, { cause: error });
    case 'request.aborted':
      return new AppError('bad_request', 'request was aborted by the client', { cause: error });
    case 'request.size.invalid':
      return new AppError('bad_request', 'request body length does not match Content-Length', { cause: error });
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

import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError } from '@overcast/contracts';
import type { Logger } from '../logger';
import { httpStatusOf } from './error-status';
import { requestIdOf } from './request-id';
import { toAppError } from './to-app-error';

/** The one JSON error envelope every Overcast HTTP surface answers with. */
export interface ErrorResponseBody {
  error: { code: string; message: string; details: { path?: string; message: string }[]; request_id: string };
}

/**
 * The one error middleware: AppError → its status and envelope; anything unexpected is logged with its
 * cause and answered 500 `internal` with no internals (no message, no stack).
 */
export function errorHandler(options: { logger: Logger }): ErrorRequestHandler {
  const { logger } = options;
  return (thrown: unknown, req, res, next) => {
    const error = toAppError(thrown);
    const status = httpStatusOf(error.code);
    const requestId = requestIdOf(req, res);
    const where = { requestId, method: req.method, path: req.path, status, code: error.code };
    if (error.code === 'internal') {
      logger.error({ ...where, err: thrown }, 'request failed with an unexpected error');
    } else if (status >= 500) {
      logger.warn({ ...where, err: error }, 'request failed: a dependency is unavailable');
    } else {
      logger.info({ ...where, reason: error.message }, 'request rejected');
    }
    // Too late for an envelope: let express abort the connection so the client sees a broken response.
    if (res.headersSent) return next(thrown);
    const internal = error.code === 'internal';
    const body: ErrorResponseBody = {
      error: {
        code: error.code,
        message: internal ? 'internal error' : error.message,
        details: internal ? [] : error.details,
        request_id: requestId,
      },
    };
    res.status(status).json(body);
  };
}

/** The fallthrough after every route: a JSON 404 in the same envelope. */
export function notFoundHandler(): RequestHandler {
  return (req, _res, next) => {
    // Truncated: the path is caller-controlled and would otherwise bloat the response and the logs.
    const path = req.path.length > 200 ? `${req.path.slice(0, 200)}…` : req.path;
    next(new AppError('not_found', `no route for ${req.method} ${path}`));
  };
}

import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
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
 * Answers `thrown` in the error envelope: AppError → its status; anything unexpected is logged with its cause
 * and answered 500 `internal` with no internals (no message, no stack). For a middleware that refuses a request
 * before routing (routing an error still walks every route); everything else throws and lets `errorHandler` call it.
 */
export function sendError(logger: Logger, thrown: unknown, req: Request, res: Response): void {
  const error = toAppError(thrown);
  const status = httpStatusOf(error.code);
  const requestId = requestIdOf(req, res);
  const where = { requestId, method: req.method, path: req.path, status, code: error.code };
  if (error.code === 'internal') {
    logger.error({ ...where, err: thrown }, 'request failed with an unexpected error');
  } else if (status >= 500) {
    // An expected condition with a code (a dependency down, capacity exhausted): its stack says nothing.
    logger.warn({ ...where, reason: error.message }, 'request failed: a dependency is unavailable');
  } else {
    logger.info({ ...where, reason: error.message }, 'request rejected');
  }
  res.status(status).json(errorResponseBody(error, requestId));
}

/** The envelope of `error`; an internal error's says nothing of its cause. */
export function errorResponseBody(error: AppError, requestId: string): ErrorResponseBody {
  const internal = error.code === 'internal';
  return {
    error: {
      code: error.code,
      message: internal ? 'internal error' : error.message,
      details: internal ? [] : error.details,
      request_id: requestId,
    },
  };
}

/** The one error middleware, after every route: `sendError`, unless the response already started. */
export function errorHandler(options: { logger: Logger }): ErrorRequestHandler {
  return (thrown: unknown, req, res, next) => {
    // Too late for an envelope: let express abort the connection so the client sees a broken response.
    if (res.headersSent) {
      options.logger.error({ requestId: requestIdOf(req, res), method: req.method, path: req.path, err: thrown }, 'request failed after its response started');
      return next(thrown);
    }
    sendError(options.logger, thrown, req, res);
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

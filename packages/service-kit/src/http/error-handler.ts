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

/** Where an error happened, as its log line names it. */
export interface ErrorSite {
  requestId: string;
  method: string;
  path: string;
}

/**
 * What to answer `thrown` with, logged: AppError → its status and envelope; anything unexpected is logged with its
 * cause and answered 500 `internal` with no internals (no message, no stack). The error handler's, and the one a
 * listener that answers before express (the gateway's front door) uses.
 */
export function errorResponse(
  logger: Logger,
  thrown: unknown,
  site: ErrorSite,
): { status: number; body: ErrorResponseBody } {
  const error = toAppError(thrown);
  const status = httpStatusOf(error.code);
  const where = { ...site, status, code: error.code };
  if (error.code === 'internal') {
    logger.error({ ...where, err: thrown }, 'request failed with an unexpected error');
  } else if (status >= 500) {
    // An expected condition with a code (a dependency down, capacity exhausted): its stack says nothing.
    logger.warn({ ...where, reason: error.message }, 'request failed: a dependency is unavailable');
  } else {
    logger.info({ ...where, reason: error.message }, 'request rejected');
  }
  const internal = error.code === 'internal';
  return {
    status,
    body: {
      error: {
        code: error.code,
        message: internal ? 'internal error' : error.message,
        details: internal ? [] : error.details,
        request_id: site.requestId,
      },
    },
  };
}

/** The one error middleware, after every route: `errorResponse`, unless the response already started. */
export function errorHandler(options: { logger: Logger }): ErrorRequestHandler {
  return (thrown: unknown, req, res, next) => {
    const site = { requestId: requestIdOf(req, res), method: req.method, path: req.path };
    // Too late for an envelope: let express abort the connection so the client sees a broken response.
    if (res.headersSent) {
      options.logger.error({ ...site, err: thrown }, 'request failed after its response started');
      return next(thrown);
    }
    const { status, body } = errorResponse(options.logger, thrown, site);
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

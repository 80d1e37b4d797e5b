import type { RequestHandler } from 'express';
import type { Logger } from '../logger';
import { requestIdOf } from './request-id';

// Probes and scrapes arrive every few seconds from every replica; logging them would drown real traffic.
const quietPaths = new Set(['/healthz', '/readyz', '/metrics']);

/** One `request completed` line per request, with its correlation id, status and duration. */
export function accessLog(options: { logger: Logger }): RequestHandler {
  return (req, res, next) => {
    // At a level that drops these lines, timing and listening for every response would be work thrown away.
    if (quietPaths.has(req.path) || !options.logger.isLevelEnabled('info')) return next();
    const startedAt = process.hrtime.bigint();
    res.once('close', () => {
      const durationMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
      options.logger.info(
        {
          // Explicit: 'close' may fire outside the request's async context.
          correlationId: requestIdOf(req, res),
          method: req.method,
          path: req.originalUrl.split('?')[0],
          status: res.statusCode,
          durationMs: Math.round(durationMs * 10) / 10,
          aborted: !res.writableFinished,
        },
        'request completed',
      );
    });
    next();
  };
}

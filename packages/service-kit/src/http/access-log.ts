import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '../logger';
import { requestIdOf } from './request-id';

// Probes and scrapes arrive every few seconds from every replica; at info they would drown real traffic.
const probePaths = new Set(['/healthz', '/readyz', '/metrics']);
const readMethods = new Set(['GET', 'HEAD']);

/**
 * Routine traffic goes at debug: probes, and reads that succeeded (a waiter polling an instance or a build every
 * second, a list refreshed). What changes something, and every failure, stays at info.
 */
function levelOf(req: Request, res: Response): 'debug' | 'info' {
  if (probePaths.has(req.path)) return 'debug';
  return readMethods.has(req.method) && res.statusCode < 400 ? 'debug' : 'info';
}

/** One `request completed` line per request, with its correlation id, status and duration. */
export function accessLog(options: { logger: Logger }): RequestHandler {
  const { logger } = options;
  return (req, res, next) => {
    // At a level that drops these lines, timing and listening for every response would be work thrown away.
    if (!logger.isLevelEnabled(probePaths.has(req.path) ? 'debug' : 'info')) return next();
    const startedAt = process.hrtime.bigint();
    res.once('close', () => {
      const durationMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
      logger[levelOf(req, res)](
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

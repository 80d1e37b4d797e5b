import express, { type Express } from 'express';
import { createLogger, type Logger } from '../logger';
import { accessLog } from './access-log';
import { errorHandler, notFoundHandler } from './error-handler';
import { healthRoutes, onlyGet, type HealthOptions, type ReadinessCheck } from './health';
import type { ServiceMetrics } from './metrics';
import { traceRequests } from '../telemetry/trace-requests';
import { requestId } from './request-id';

export interface ServiceAppOptions {
  logger: Logger;
  metrics: ServiceMetrics;
  /** Readiness checks for `/readyz`, by name. */
  checks?: Record<string, ReadinessCheck>;
  readinessTimeoutMs?: number;
  /** Which other services answer, reported beside readiness in `/readyz` (the gateway's probes). */
  reportServices?: HealthOptions['reportServices'];
  /** False when `/metrics` has a port of its own (`startMetricsServer`, `METRICS_PORT`); default true. */
  serveMetrics?: boolean;
  /** Mounts the service's own routes (and their body parsers) after the ops routes, before the 404. */
  routes?: (app: Express) => void;
}

/**
 * The standard middleware order: request id (correlation) → server span → access log → metrics → /healthz,
 * /readyz, /metrics → the service's routes → JSON 404 → the one error handler.
 */
export function createServiceApp(options: ServiceAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestId());
  app.use(traceRequests(options.metrics.service));
  app.use(accessLog({ logger: options.logger }));
  app.use(options.metrics.middleware());
  app.use(
    healthRoutes({
      checks: options.checks,
      readinessTimeoutMs: options.readinessTimeoutMs,
      reportServices: options.reportServices,
      logger: options.logger,
    }),
  );
  if (options.serveMetrics ?? true) app.get('/metrics', options.metrics.handler()).all('/metrics', onlyGet);
  options.routes?.(app);
  app.use(notFoundHandler());
  app.use(errorHandler({ logger: options.logger }));
  return app;
}

export type OpsAppOptions = Omit<ServiceAppOptions, 'routes' | 'logger'> & { logger?: Logger };

/** Health and metrics only, for services whose entry points are bus consumers (instance-broker, …). */
export function createOpsApp(options: OpsAppOptions): Express {
  const logger = options.logger ?? createLogger({ service: options.metrics.service });
  return createServiceApp({ ...options, logger });
}

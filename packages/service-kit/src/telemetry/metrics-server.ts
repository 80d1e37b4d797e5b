import express from 'express';
import type { ServiceMetrics } from '../http/metrics';
import { startHttpServer, type RunningHttpServer } from '../server/start-http-server';

/**
 * `/metrics` alone on a port of its own (`METRICS_PORT`), so scrapes reach it on a network or port the service's
 * clients never see; the service's app then leaves it out (`serveMetrics: false`).
 */
export function startMetricsServer(
  metrics: ServiceMetrics,
  options: { port: number; host: string },
): Promise<RunningHttpServer> {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', metrics.handler());
  return startHttpServer(app, options);
}

import type { Request, RequestHandler } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

export interface ServiceMetrics {
  service: string;
  /** The service's own registry: services running in one process (standalone) never share metrics. */
  registry: Registry;
  httpRequestDuration: Histogram<'method' | 'route' | 'status_code'>;
  /** Times every request; mount it before the routes. */
  middleware(): RequestHandler;
  /** `GET /metrics` in the Prometheus text format. */
  handler(): RequestHandler;
}

/** The label of requests no route matched: raw paths would make one time series per scanned URL. */
export const unmatchedRoute = '<unmatched>';

export function createMetrics(options: { service: string; defaultMetrics?: boolean }): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  const httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, matched route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  return {
    service: options.service,
    registry,
    httpRequestDuration,
    middleware: () => (req, res, next) => {
      const stopTimer = httpRequestDuration.startTimer();
      const routePattern = trackRoutePattern(req);
      let recorded = false;
      const record = () => {
        if (recorded) return;
        recorded = true;
        stopTimer({ method: req.method, route: routePattern() ?? unmatchedRoute, status_code: String(res.statusCode) });
      };
      res.once('finish', record);
      // A client that disconnects first still took server time; record it with the status set so far.
      res.once('close', record);
      next();
    },
    handler: () => async (_req, res) => {
      const text = await registry.metrics();
      res.setHeader('Content-Type', registry.contentType);
      res.send(text);
    },
  };
}

/**
 * The pattern of the route that handled the request (`/instances/:id`), never the raw path. It is taken
 * when the router assigns `req.route`, because by the time the response finishes an error has unwound
 * the routers and `req.baseUrl` no longer holds the mount prefix. Mount routers on static prefixes:
 * `req.baseUrl` is the matched prefix, which would hold values for a parameterised mount path.
 */
function trackRoutePattern(req: Request): () => string | undefined {
  let route: unknown;
  let pattern: string | undefined;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set: (value: unknown) => {
      route = value;
      const path = typeof value === 'object' && value !== null ? (value as { path?: unknown }).path : undefined;
      if (typeof path === 'string') pattern = `${req.baseUrl}${path}` || '/';
    },
  });
  return () => pattern;
}

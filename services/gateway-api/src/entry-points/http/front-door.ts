import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import {
  closeIfBodyUnread,
  errorResponse,
  requestIdFor,
  requestIdHeader,
  unmatchedRoute,
  type Logger,
  type ServiceMetrics,
} from '@overcast/service-kit';
import type { Express } from 'express';
import type { CheckFailureBudget } from '../../domain/verify-token';
import { clientAddressUnder, type TrustProxy } from './client-address';
import { credentialsOf } from './credentials';
import { withLegacyErrors } from './legacy-error-shapes';
import { tooManyFailures } from './passport-strategies';

export interface FrontDoorDeps {
  app: Express;
  overFailureBudget: CheckFailureBudget;
  metrics: ServiceMetrics;
  logger: Logger;
}

/**
 * The gateway's HTTP request listener: the express app, behind the one check that must be cheap. A request that
 * presents credentials from a client address over its failure budget is answered 429 (Retry-After) here, before
 * express, routing, the token strategy or the token cache, so refusing a flood of bad tokens costs little more than
 * reading it (figures in bench/README.md, "Flood"). Requests without credentials cannot fail authentication and go
 * on: public routes stay reachable from any address.
 */
export function createFrontDoor(deps: FrontDoorDeps): RequestListener {
  const trust = deps.app.get('trust proxy fn') as TrustProxy;
  return (req, res) => {
    if (credentialsOf(req).kind === 'none') return deps.app(req, res);
    const retryAfterSeconds = deps.overFailureBudget(clientAddressUnder(req, trust));
    if (retryAfterSeconds === undefined) return deps.app(req, res);
    refuse(deps, req, res, retryAfterSeconds);
  };
}

/** The answer express's error handler would give (`errorResponse`, the legacy error list, the request id), written directly. */
function refuse(deps: FrontDoorDeps, req: IncomingMessage, res: ServerResponse, retryAfterSeconds: number): void {
  const startedAt = performance.now();
  const site = {
    requestId: requestIdFor(req.headers['x-request-id']),
    method: req.method ?? 'GET',
    path: (req.url ?? '/').split('?', 1)[0] ?? '/',
  };
  const { status, body } = errorResponse(deps.logger, tooManyFailures, site);
  const text = JSON.stringify(withLegacyErrors(site.path, body));
  // Refused before its body is read: a bounded part of it, not all of it (Node would read a flood's bodies whole).
  closeIfBodyUnread(req, res);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Retry-After': String(retryAfterSeconds),
    [requestIdHeader]: site.requestId,
  });
  res.end(text);
  deps.metrics.httpRequestDuration.observe(
    { method: site.method, route: unmatchedRoute, status_code: String(status) },
    (performance.now() - startedAt) / 1000,
  );
}

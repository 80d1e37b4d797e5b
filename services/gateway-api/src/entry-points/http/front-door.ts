import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { errorResponseBody, httpStatusOf, requestIdFor, requestIdHeader, unmatchedRoute, type Logger, type ServiceMetrics } from '@overcast/service-kit';
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

const refusalStatus = httpStatusOf(tooManyFailures.code);

/**
 * The gateway's HTTP request listener: the express app, behind the one check that must be cheap. A request that
 * presents credentials from a client address over its failure budget is answered 429 (Retry-After) here, before
 * express, routing, passport, the token or its cache, so refusing a flood of bad tokens costs little more than
 * reading it (measured: 0.31 ms of gateway CPU per refusal through express, most of it express's own per-request
 * work; node's parse and write alone are a quarter of that). Requests without credentials cannot fail
 * authentication and go on: public routes stay reachable from any address.
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

/** The same answer express's error handler gives (envelope, legacy error list, request id), written directly. */
function refuse(deps: FrontDoorDeps, req: IncomingMessage, res: ServerResponse, retryAfterSeconds: number): void {
  const startedAt = performance.now();
  const requestId = requestIdFor(req.headers['x-request-id']);
  const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
  const body = JSON.stringify(withLegacyErrors(path, errorResponseBody(tooManyFailures, requestId)));
  res.writeHead(refusalStatus, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Retry-After': String(retryAfterSeconds),
    [requestIdHeader]: requestId,
  });
  res.end(body);
  const method = req.method ?? 'GET';
  if (deps.logger.isLevelEnabled('info')) {
    deps.logger.info({ requestId, method, path, status: refusalStatus, code: tooManyFailures.code, reason: tooManyFailures.message }, 'request rejected');
  }
  deps.metrics.httpRequestDuration.observe({ method, route: unmatchedRoute, status_code: String(refusalStatus) }, (performance.now() - startedAt) / 1000);
}

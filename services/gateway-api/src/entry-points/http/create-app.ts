import { AppError, isAppError } from '@overcast/contracts';
import type { OpenApiDocument, OperationObject } from '@overcast/api-spec';
import {
  accessLog,
  errorHandler,
  notFoundHandler,
  requestId,
  toAppError,
  type Logger,
  type ServiceMetrics,
} from '@overcast/service-kit';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { SharedRateLimiter } from '../../domain/rate-limiter';
import { wwwAuthenticate, type Access, type Authenticate } from './authenticate';
import { legacyErrorShapes } from './legacy-error-shapes';
import { refuseMalformedPaths } from './malformed-path';
import { createOpenApiValidator } from './openapi-validator';
import { rateLimit, type RateLimitOptions } from './rate-limit';
import { inputOf, setInput } from './request-context';
import { expressPathOf, type RouteDefinition } from './route-definition';

export interface GatewayAppDeps {
  document: OpenApiDocument;
  logger: Logger;
  metrics: ServiceMetrics;
  authenticate: Authenticate;
  limiter: SharedRateLimiter;
  rateLimits: RateLimitOptions;
  routes: RouteDefinition[];
  trustProxy: boolean | number | string;
}

// DESIGN.md: 1 MB for JSON and form bodies; anything larger answers 413 before it is parsed.
const bodyLimit = '1mb';

/** How the spec decides authentication: the operation's `security`, and its `x-overcast-role` (the least role allowed). */
function accessOf(document: OpenApiDocument, operation: OperationObject, route: RouteDefinition): Access {
  const security = operation.security ?? document.security ?? [];
  const role = operation['x-overcast-role'] ?? 'developer';
  if (security.length === 0) {
    if (role === 'admin')
      throw new Error(`${route.method.toUpperCase()} ${route.path} is public in the spec but needs the admin role`);
    return { kind: 'public' };
  }
  if (security.some((requirement) => 'initScriptAuth' in requirement)) return { kind: 'token-or-build-secret' };
  return { kind: 'token', role };
}

/**
 * The gateway's express app, behind its front door (`createFrontDoor`, which refuses clients over their failure
 * budget before express runs). Per route: authenticate (as the spec's security says) → rate limit → parse
 * the body (1 MB) → validate path, query, headers and body against the spec → the handler. Every route
 * must be an operation of the spec (checked here, at start); other methods on a known path answer 405.
 */
export function createGatewayApp(deps: GatewayAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Answers are per request and per caller: a SHA-1 of every body for conditional GETs no client makes is waste.
  app.set('etag', false);
  app.set('trust proxy', deps.trustProxy);
  app.use(requestId());
  app.use(accessLog({ logger: deps.logger }));
  app.use(deps.metrics.middleware());
  app.use(legacyErrorShapes());
  app.use(refuseMalformedPaths(deps.routes.map((route) => route.path)));

  const validatorFor = createOpenApiValidator(deps.document);
  const limit = rateLimit(deps.limiter, deps.rateLimits);
  // Not strict: a scalar JSON body parses, and the operation's schema then names what it must be (`body: must be object`).
  const parseJson = express.json({ limit: bodyLimit, strict: false, type: ['application/json', 'application/*+json'] });
  const parseForm = express.urlencoded({ limit: bodyLimit, extended: false });

  const methodsByPath = new Map<string, Set<string>>();
  for (const route of deps.routes) {
    const operation = deps.document.paths[route.path]?.[route.method];
    if (!operation)
      throw new Error(`route ${route.method.toUpperCase()} ${route.path} is not an operation of the OpenAPI spec`);
    const validate = validatorFor(route.method, route.path);
    const reword = route.rewordValidation;
    const validated: RequestHandler = (req, res, next) => {
      try {
        setInput(res, validate(req));
      } catch (error) {
        if (!reword || !isAppError(error) || error.code !== 'bad_request') throw error;
        throw new AppError(error.code, error.message, { details: error.details.map(reword) });
      }
      next();
    };
    const chain: RequestHandler[] = [deps.authenticate(accessOf(deps.document, operation, route))];
    if (!route.unlimited) chain.push(limit);
    chain.push(parseJson, parseForm, validated, (req, res) => route.handle(req, res, inputOf(res)));
    const path = expressPathOf(route.path);
    app[route.method](path, ...chain);
    const methods = methodsByPath.get(path) ?? new Set<string>();
    methodsByPath.set(path, methods.add(route.method.toUpperCase()));
  }
  for (const [path, methods] of methodsByPath) {
    app.all(path, (req, res, next) => {
      res.setHeader('Allow', [...methods].join(', '));
      next(
        new AppError(
          'method_not_allowed',
          `${req.method} is not allowed on ${req.path}; allowed: ${[...methods].join(', ')}`,
        ),
      );
    });
  }

  app.use(notFoundHandler());
  // Every 401 names the schemes to retry with, whichever layer refused (the strategies, a use case, a service).
  app.use(((error, _req, res, next) => {
    if (toAppError(error).code === 'unauthenticated' && !res.headersSent)
      res.setHeader('WWW-Authenticate', wwwAuthenticate);
    next(error);
  }) satisfies ErrorRequestHandler);
  app.use(errorHandler({ logger: deps.logger }));
  return app;
}

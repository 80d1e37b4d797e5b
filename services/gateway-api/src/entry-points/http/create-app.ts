import { AppError, isAppError } from '@overcast/contracts';
import {
  isReference,
  resolveReference,
  type OpenApiDocument,
  type OperationObject,
  type RequestBodyObject,
} from '@overcast/api-spec';
import {
  closeAfterEarlyAnswer,
  createServiceApp,
  toAppError,
  type Logger,
  type ReadinessCheck,
  type ReadinessReport,
  type ServiceMetrics,
} from '@overcast/service-kit';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { ProbeServices } from '../../domain/probe-services';
import type { SharedRateLimiter } from '../../domain/rate-limiter';
import { wwwAuthenticate, type Access, type Authenticate } from './authenticate';
import { legacyErrorShapes } from './legacy-error-shapes';
import { refuseMalformedPaths } from './malformed-path';
import type { components } from './generated/openapi';
import { parseDeploymentFileBody } from './deployment-file-body';
import { awaitsContinue, continueBody } from './expect-continue';
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
  /** False when `/metrics` is served on METRICS_PORT instead, away from the API's clients. */
  serveMetrics?: boolean;
  /** The gateway's own dependencies (database, broker): they decide readiness. */
  checks: Record<string, ReadinessCheck>;
  /** The services `/readyz` reports on beside readiness (and `/status` in full). */
  probeServices: ProbeServices;
}

// service-kit's /readyz body is the spec's Readiness, both ways: either drifting from the other fails to compile.
type Readiness = components['schemas']['Readiness'];
const _readinessIsTheSpecs: [ReadinessReport, Readiness] extends [Readiness, ReadinessReport] ? true : never = true;

// DESIGN.md: 1 MB for JSON and form bodies; anything larger answers 413 before it is parsed.
const bodyLimit = '1mb';
// A file upload (a CloudTrail file): what one RPC to the owning service carries, base64 (16 MiB) — 12 MiB of bytes.
const fileLimit = '12mb';

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

/** Whether the operation's body is a form (pudding's PATCH); every other body but an overcast.yml is JSON. */
function takesForm(document: OpenApiDocument, operation: OperationObject): boolean {
  if (!operation.requestBody) return false;
  const { content } = isReference(operation.requestBody)
    ? resolveReference<RequestBodyObject>(document, operation.requestBody.$ref)
    : operation.requestBody;
  return 'application/x-www-form-urlencoded' in content && !('application/json' in content);
}

/** Whether the operation's body is a file read as bytes (a CloudTrail file, gzip or plain JSON). */
function takesBytes(document: OpenApiDocument, operation: OperationObject): boolean {
  if (!operation.requestBody) return false;
  const { content } = isReference(operation.requestBody)
    ? resolveReference<RequestBodyObject>(document, operation.requestBody.$ref)
    : operation.requestBody;
  return 'application/octet-stream' in content;
}

/** Whether the operation's body is an overcast.yml (YAML, or the same document as JSON). */
function takesDeploymentFile(document: OpenApiDocument, operation: OperationObject): boolean {
  if (!operation.requestBody) return false;
  const { content } = isReference(operation.requestBody)
    ? resolveReference<RequestBodyObject>(document, operation.requestBody.$ref)
    : operation.requestBody;
  return 'application/yaml' in content;
}

/**
 * The gateway's express app on service-kit's (request id, server span, access log, metrics, /healthz, /readyz with the
 * services it probes, /metrics, JSON 404, the one error handler), behind its front door (`createFrontDoor`, which
 * refuses clients over their failure budget before express runs). Per route: authenticate (as the spec's security
 * says) → rate limit → parse the body (1 MB) → validate path, query, headers and body against the spec → the
 * handler. Every route must be an operation of the spec (checked here, at start); other methods on a known path
 * answer 405.
 */
export function createGatewayApp(deps: GatewayAppDeps): Express {
  return createServiceApp({
    logger: deps.logger,
    metrics: deps.metrics,
    serveMetrics: deps.serveMetrics,
    checks: deps.checks,
    reportServices: async () =>
      Object.fromEntries((await deps.probeServices()).map((probe) => [probe.service, probe.up])),
    routes: (app) => mountGatewayRoutes(app, deps),
  });
}

/**
 * Before a route's body parser: a client waiting for 100 Continue (deferContinue) is told to send its body once the
 * route's check before the body passed; a refusal is the answer, with no body sent.
 */
function continueBeforeBody(check: RouteDefinition['checkBeforeBody']): RequestHandler {
  return async (req, res, next) => {
    if (check && awaitsContinue(res)) await check(req, res);
    continueBody(res);
    next();
  };
}

function mountGatewayRoutes(app: Express, deps: GatewayAppDeps): void {
  // Answers are per request and per caller: a SHA-1 of every body for conditional GETs no client makes is waste.
  app.set('etag', false);
  app.set('trust proxy', deps.trustProxy);
  app.use(legacyErrorShapes());
  app.use(refuseMalformedPaths(deps.routes.map((route) => route.path)));

  const validatorFor = createOpenApiValidator(deps.document);
  const limit = rateLimit(deps.limiter, deps.rateLimits);
  // The originals' clients send JSON with no Content-Type (cloud-brain's worker, hubot-pudding) or labelled as a form
  // (`curl -d` in pudding's init scripts): a body is read as the operation's one media type, whatever the label.
  // Not strict: a scalar JSON body parses, and the operation's schema then names what it must be (`body: must be object`).
  const anyLabel = () => true;
  const parseJson = express.json({ limit: bodyLimit, strict: false, type: anyLabel });
  const parseForm = express.urlencoded({ limit: bodyLimit, extended: false, type: anyLabel });
  const parseDeploymentFile = parseDeploymentFileBody(bodyLimit);
  const parseBytes = express.raw({ limit: fileLimit, type: anyLabel });

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
    // Whatever refuses an upload before it is read (authentication included), the client reads the answer.
    if (route.streamsBody || route.checkBeforeBody) chain.unshift(closeAfterEarlyAnswer());
    if (!route.unlimited) chain.push(limit);
    if (!route.streamsBody) chain.push(continueBeforeBody(route.checkBeforeBody));
    const bodyParser = route.streamsBody
      ? []
      : takesDeploymentFile(deps.document, operation)
        ? parseDeploymentFile
        : takesBytes(deps.document, operation)
          ? [parseBytes]
          : takesForm(deps.document, operation)
            ? [parseForm]
            : [parseJson];
    chain.push(...bodyParser, validated, (req, res) => route.handle(req, res, inputOf(res)));
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

  // Every 401 names the schemes to retry with, whichever layer refused (the strategies, a use case, a service).
  app.use(((error, _req, res, next) => {
    if (toAppError(error).code === 'unauthenticated' && !res.headersSent)
      res.setHeader('WWW-Authenticate', wwwAuthenticate);
    next(error);
  }) satisfies ErrorRequestHandler);
}

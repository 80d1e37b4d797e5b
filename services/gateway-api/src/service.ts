import type { Agent } from 'node:https';
import { openApiDocument, type OpenApiDocument } from '@overcast/api-spec';
import type { Bus, Consumer } from '@overcast/messaging';
import {
  createMetrics,
  startHttpServer,
  startMetricsServer,
  type Logger,
  type RunningHttpServer,
  type ServiceMetrics,
} from '@overcast/service-kit';
import type { RequestListener } from 'node:http';
import { Counter } from 'prom-client';
import type { GatewayConfig } from './config';
import { createGitHubApi } from './data-access/github-api';
import { createGatewayPrisma, pingDatabase, type GatewayDatabase } from './data-access/prisma-client';
import { createRateLimitRepository } from './data-access/rate-limit-repository';
import { createTenantRepository } from './data-access/tenant-repository';
import { createTokenRepository } from './data-access/token-repository';
import { createCreateToken } from './domain/create-token';
import { createFollowRevocations } from './domain/follow-revocations';
import { createListTokens } from './domain/list-tokens';
import { createLoginWithGitHub } from './domain/login-with-github';
import type { GitHubApi } from './domain/ports';
import { createProbeServices } from './domain/probe-services';
import { SharedRateLimiter } from './domain/rate-limiter';
import { createVerifySnsMessage } from './domain/verify-sns-message';
import { createRevokeToken } from './domain/revoke-token';
import { ScryptGate } from './domain/scrypt-gate';
import { TokenCache } from './domain/token-cache';
import { createCheckFailureBudget, createVerifyToken, type VerificationOutcome } from './domain/verify-token';
import { createPeriodicTask } from './entry-points/background/periodic-task';
import { serveGatewayStatus } from './entry-points/bus/status-rpc';
import { createAuthenticate } from './entry-points/http/authenticate';
import { createGatewayApp } from './entry-points/http/create-app';
import { deferContinue } from './entry-points/http/expect-continue';
import { createFrontDoor } from './entry-points/http/front-door';
import { createRpcClient } from './entry-points/http/rpc-client';
import { gatewayRoutes } from './entry-points/http/routes';

export interface GatewayServiceDeps {
  config: GatewayConfig;
  /** @overcast/db's `Database`, migrated with this package's `migrationsDirectory` before start; owned by the caller. */
  database: GatewayDatabase;
  /** Started by the caller, who also stops it after the gateway. */
  bus: Bus;
  logger: Logger;
  /** The service's metrics; main.ts makes them first, so the bus counts into the same registry. Default: its own. */
  metrics?: ServiceMetrics;
  /** The contract the gateway serves and enforces (routes, validation, who may call what); default: @overcast/api-spec's. */
  document?: OpenApiDocument;
  /** GitHub's API for POST /login; default: GITHUB_API_URL. */
  github?: GitHubApi;
  /** Called after `DELETE /` answered 204; default: this service stops itself. main.ts exits the process. */
  onShutdownRequested?: () => void;
  /**
   * The clock of token verification (cache lifetimes, the scrypt allowance) and of the rate-limit windows; default
   * Date.now. Tests move it, and start it where no window ends during the test.
   */
  now?: () => number;
  /** How SNS signing certificates are fetched for POST /sns-messages; default Node's https agent. Tests serve their own. */
  snsCertificateAgent?: Agent;
}

export interface GatewayService {
  /** The HTTP request listener `start()` serves: the express app behind its front door. */
  handler: RequestListener;
  start(): Promise<void>;
  /** Drains HTTP requests, stops background work and the status consumer; leaves bus and database open. */
  stop(): Promise<void>;
  /** Set once started. */
  readonly url: string | undefined;
}

/** Wires the gateway: every dependency is explicit here, nothing is global (two gateways can share a process). */
export function createGatewayService(deps: GatewayServiceDeps): GatewayService {
  const { config, database, bus, logger, document = openApiDocument } = deps;
  const prisma = createGatewayPrisma(database);
  const tokens = createTokenRepository(prisma);
  const tenants = createTenantRepository(prisma);
  const limiter = new SharedRateLimiter({
    store: createRateLimitRepository(prisma, database.schema),
    windowSeconds: config.rateLimits.windowSeconds,
    now: deps.now,
  });
  const cache = new TokenCache({
    verifiedTtlMs: config.tokens.cacheTtlMs,
    failedTtlMs: config.tokens.failureCacheTtlMs,
    maxEntries: config.tokens.cacheMaxEntries,
    now: deps.now,
  });
  const metrics = deps.metrics ?? createMetrics({ service: 'gateway-api' });
  // Tallied in a plain map on every request (a labelled `inc` hashes its labels each time) and handed to the
  // counter when /metrics is scraped.
  const outcomeTally = new Map<VerificationOutcome, number>();
  new Counter({
    name: 'gateway_token_verifications_total',
    help: 'Token verifications by outcome; only matched and mismatched ran scrypt.',
    labelNames: ['outcome'] as const,
    registers: [metrics.registry],
    collect() {
      for (const [outcome, count] of outcomeTally) this.inc({ outcome }, count);
      outcomeTally.clear();
    },
  });
  const failureBudget = {
    limiter,
    failuresPerClient: config.rateLimits.authFailuresPerClient,
    onOutcome: (outcome: VerificationOutcome) => outcomeTally.set(outcome, (outcomeTally.get(outcome) ?? 0) + 1),
  };
  const verifyToken = createVerifyToken({
    ...failureBudget,
    tokens,
    cache,
    gate: new ScryptGate({ ...config.scrypt, now: deps.now }),
  });
  const createToken = createCreateToken({ tokens });
  const followRevocations = createFollowRevocations({ tokens, cache, marginMs: config.tokens.cacheTtlMs });
  const checks = { database: () => pingDatabase(database), broker: () => bus.isReady() };
  const startedAt = Date.now();
  let server: RunningHttpServer | undefined;
  let metricsServer: RunningHttpServer | undefined;
  let statusConsumer: Consumer | undefined;
  let stopping: Promise<void> | undefined;
  const shuttingDown = new AbortController();

  const probeServices = createProbeServices({
    bus,
    services: config.statusServices,
    timeoutMs: config.serviceStatusTimeoutMs,
  });
  const routes = gatewayRoutes({
    document,
    logger,
    checks,
    probeServices,
    requestShutdown: () => (deps.onShutdownRequested ?? (() => void service.stop()))(),
    createToken,
    listTokens: createListTokens({ tokens }),
    revokeToken: createRevokeToken({ tokens, cache }),
    loginWithGitHub: createLoginWithGitHub({
      github: deps.github ?? createGitHubApi({ baseUrl: config.github.apiUrl, timeoutMs: config.github.timeoutMs }),
      tenants,
      createToken,
      mapping: config.github,
    }),
    call: createRpcClient(bus, config.rpcTimeoutMs),
    eventPollIntervalMs: config.deploymentEventsPollMs,
    shuttingDown: shuttingDown.signal,
    publicUrl: () => config.publicUrl ?? server?.url ?? `http://127.0.0.1:${config.port}`,
    limiter,
    authFailuresPerClient: config.rateLimits.authFailuresPerClient,
    verifySnsMessage: createVerifySnsMessage(
      deps.snsCertificateAgent ? { certificateAgent: deps.snsCertificateAgent } : {},
    ),
  });
  const app = createGatewayApp({
    document,
    logger,
    metrics,
    authenticate: createAuthenticate(verifyToken),
    limiter,
    rateLimits: config.rateLimits,
    routes,
    trustProxy: config.trustProxy,
    serveMetrics: config.metricsPort === undefined,
    checks,
    probeServices,
  });
  const frontDoor = createFrontDoor({
    app,
    overFailureBudget: createCheckFailureBudget(failureBudget),
    metrics,
    logger,
  });

  // Shared auth state: flush rate-limit counts and pick up other replicas' revocations several times a second.
  const authStateSync = createPeriodicTask(
    'auth state sync',
    config.authStateSyncIntervalMs,
    () => Promise.all([limiter.sync(), followRevocations()]),
    logger,
  );
  const counterCleanup = createPeriodicTask('rate-limit cleanup', 60_000, () => limiter.deleteExpired(), logger);

  const service: GatewayService = {
    handler: frontDoor,
    get url() {
      return server?.url;
    },
    async start() {
      statusConsumer = await serveGatewayStatus({ bus, checks, logger, startedAt });
      authStateSync.start();
      counterCleanup.start();
      server = await startHttpServer(frontDoor, {
        port: config.port,
        host: config.host,
        shutdownTimeoutMs: config.shutdownTimeoutMs,
        logger,
      });
      deferContinue(server.server);
      logger.info({ url: server.url }, 'gateway listening');
      if (config.metricsPort !== undefined) {
        metricsServer = await startMetricsServer(metrics, { port: config.metricsPort, host: config.host });
        logger.info({ url: metricsServer.url }, 'gateway metrics listening');
      }
    },
    stop() {
      stopping ??= (async () => {
        shuttingDown.abort();
        await server
          ?.close()
          .catch((error: unknown) => logger.warn({ err: error }, 'HTTP server did not drain in time'));
        await metricsServer?.close();
        await statusConsumer?.stop();
        // A last flush so counts taken just before shutdown still reach the other replicas.
        await authStateSync.stop({ finalRun: true });
        await counterCleanup.stop();
        await prisma.$disconnect();
      })();
      return stopping;
    },
  };
  return service;
}

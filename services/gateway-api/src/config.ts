import { availableParallelism } from 'node:os';
import {
  amqpUrlVariable,
  databaseUrlVariable,
  loadConfigOrExit,
  logLevelVariable,
  parseConfig,
  portVariable,
  positiveIntegerVariable,
  type LoadConfigOptions,
  optionalPortVariable,
  tracingSettingsOf,
  tracingVariables,
  type TracingSettings,
} from '@overcast/service-kit';
import { z } from 'zod';

const schemaName = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lowercase Postgres identifier (letters, digits, _)');

const optionalText = z.string().min(1).max(200).optional();

const serviceList = z
  .string()
  .regex(/^[a-z0-9-]+(,[a-z0-9-]+)*$/, 'must be a comma-separated list of service names')
  .transform((value) => value.split(','));

// Express's `trust proxy`: false (use the socket address), true, a hop count, or subnets/names.
const trustProxy = z
  .string()
  .transform((value): boolean | number | string => {
    if (value === 'true' || value === 'false') return value === 'true';
    return /^\d+$/.test(value) ? Number(value) : value;
  })
  .default(false);

/** One core fewer than the machine has (at least 1), and at most 2 of libuv's 4 threads. */
export const defaultScryptConcurrency = Math.min(2, Math.max(1, availableParallelism() - 1));

const environment = z.object({
  /** Where the API listens (8080); 0 picks a free port. */
  PORT: portVariable(8080),
  /** Interface to bind (0.0.0.0: probes and the load balancer come from outside the container). */
  HOST: z.string().min(1).default('0.0.0.0'),
  /** `/metrics` on a port of its own, on HOST (not on PORT, where the API's clients are); unset: on PORT. */
  METRICS_PORT: optionalPortVariable(),
  ...tracingVariables.shape,
  LOG_LEVEL: logLevelVariable(),
  /** The gateway's own Postgres (tenants, tokens, rate-limit counters). Required. */
  DATABASE_URL: databaseUrlVariable(),
  /** Its schema in that database (gateway_api); no other service reads it. */
  DATABASE_SCHEMA: schemaName.default('gateway_api'),
  /** RabbitMQ; unset runs on the in-memory bus (only useful when every service is in this process). */
  AMQP_URL: amqpUrlVariable().optional(),
  /** Prefix of every exchange and queue (overcast). */
  BUS_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'must be letters, digits, ., _ or -')
    .default('overcast'),
  /** How long a route waits for the owning service's reply before answering 504 (5000 ms). */
  RPC_TIMEOUT_MS: positiveIntegerVariable(5000),
  /** How often an open deployment event stream asks the registry for new events (500 ms): the stream's latency. */
  DEPLOYMENT_EVENTS_POLL_MS: positiveIntegerVariable(500),
  /** The URL clients and booting instances reach this gateway at (init-script URLs); default: the listening URL. */
  PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  /** Express `trust proxy` (false): set it behind a load balancer so rate limits see client addresses. */
  TRUST_PROXY: trustProxy,
  /** How long a verified token is trusted before the database is asked again (5000 ms); bounds revocation delay. */
  TOKEN_CACHE_TTL_MS: positiveIntegerVariable(5000),
  /** How long a token that failed verification is refused without any work (60000 ms). */
  TOKEN_FAILURE_CACHE_TTL_MS: positiveIntegerVariable(60_000),
  /** Entries in each token cache (10000): bounds memory under a flood of distinct tokens. */
  TOKEN_CACHE_MAX_ENTRIES: positiveIntegerVariable(10_000),
  /** scrypt verifications running at once (`defaultScryptConcurrency`). */
  SCRYPT_CONCURRENCY: positiveIntegerVariable(defaultScryptConcurrency),
  /** Verifications allowed to wait (64); beyond that an uncached token answers 503 with Retry-After. */
  SCRYPT_MAX_QUEUED: positiveIntegerVariable(64),
  /** Verifications one client address, and one token id, may have in flight (4). */
  SCRYPT_MAX_PER_CLIENT: positiveIntegerVariable(4),
  /** Failed verifications per second over all clients that may run scrypt (2, ~8% of a core); beyond it unproven tokens get 503. */
  SCRYPT_FAILURES_PER_SECOND: positiveIntegerVariable(2),
  /** Length of a rate-limit window (60 s). */
  RATE_LIMIT_WINDOW_SECONDS: positiveIntegerVariable(60),
  /** Requests per window per tenant, over all replicas (6000). */
  RATE_LIMIT_PER_TENANT: positiveIntegerVariable(6000),
  /** Requests per window per client address on routes without a token (login, init scripts) (300). */
  RATE_LIMIT_PER_ANONYMOUS_CLIENT: positiveIntegerVariable(300),
  /** Failed authentications per window per client address before it gets 429 without any verification (30). */
  AUTH_FAILURES_PER_CLIENT: positiveIntegerVariable(30),
  /** How often local counts are flushed to Postgres and revocations read back (200 ms). */
  AUTH_STATE_SYNC_INTERVAL_MS: positiveIntegerVariable(200),
  /** GitHub's REST API (https://api.github.com; GitHub Enterprise: https://<host>/api/v3). */
  GITHUB_API_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
    .default('https://api.github.com'),
  /** Only members of this organisation may log in with GitHub; unset disables POST /login. */
  GITHUB_ORGANIZATION: optionalText,
  /** Members of this team (name or slug) log in as admins; unset: nobody becomes admin by login. */
  GITHUB_ADMIN_TEAM: optionalText,
  /** Members of this team log in as developers; unset: any team of the organisation. */
  GITHUB_DEVELOPER_TEAM: optionalText,
  /** How long a GitHub call may take (5000 ms). */
  GITHUB_TIMEOUT_MS: positiveIntegerVariable(5000),
  /** Services asked for `<service>.status` by /readyz and /status (each domain issue adds its service). */
  STATUS_SERVICES: serviceList.default(['instance-broker']),
  /** How long one status RPC may take before that service counts as down (1000 ms). */
  SERVICE_STATUS_TIMEOUT_MS: positiveIntegerVariable(1000),
  /** How long shutdown waits for in-flight requests (10000 ms). */
  SHUTDOWN_TIMEOUT_MS: positiveIntegerVariable(10_000),
});

type ParsedEnvironment = z.output<typeof environment>;

/** What the gateway is configured by: built only by the schema below, where each default is written. */
export interface GatewayConfig {
  port: number;
  host: string;
  metricsPort?: number;
  tracing: TracingSettings;
  logLevel: ParsedEnvironment['LOG_LEVEL'];
  databaseUrl: string;
  databaseSchema: string;
  amqpUrl?: string;
  busNamespace: string;
  rpcTimeoutMs: number;
  deploymentEventsPollMs: number;
  publicUrl?: string;
  trustProxy: boolean | number | string;
  tokens: { cacheTtlMs: number; failureCacheTtlMs: number; cacheMaxEntries: number };
  scrypt: { concurrency: number; maxQueued: number; perClient: number; failuresPerSecond: number };
  rateLimits: { windowSeconds: number; perTenant: number; perAnonymousClient: number; authFailuresPerClient: number };
  authStateSyncIntervalMs: number;
  github: { apiUrl: string; organization?: string; adminTeam?: string; developerTeam?: string; timeoutMs: number };
  statusServices: string[];
  serviceStatusTimeoutMs: number;
  shutdownTimeoutMs: number;
}

function toGatewayConfig(env: ParsedEnvironment): GatewayConfig {
  return {
    port: env.PORT,
    host: env.HOST,
    metricsPort: env.METRICS_PORT,
    tracing: tracingSettingsOf(env),
    logLevel: env.LOG_LEVEL,
    databaseUrl: env.DATABASE_URL,
    databaseSchema: env.DATABASE_SCHEMA,
    amqpUrl: env.AMQP_URL,
    busNamespace: env.BUS_NAMESPACE,
    rpcTimeoutMs: env.RPC_TIMEOUT_MS,
    deploymentEventsPollMs: env.DEPLOYMENT_EVENTS_POLL_MS,
    publicUrl: env.PUBLIC_URL,
    trustProxy: env.TRUST_PROXY,
    tokens: {
      cacheTtlMs: env.TOKEN_CACHE_TTL_MS,
      failureCacheTtlMs: env.TOKEN_FAILURE_CACHE_TTL_MS,
      cacheMaxEntries: env.TOKEN_CACHE_MAX_ENTRIES,
    },
    scrypt: {
      concurrency: env.SCRYPT_CONCURRENCY,
      maxQueued: env.SCRYPT_MAX_QUEUED,
      perClient: env.SCRYPT_MAX_PER_CLIENT,
      failuresPerSecond: env.SCRYPT_FAILURES_PER_SECOND,
    },
    rateLimits: {
      windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS,
      perTenant: env.RATE_LIMIT_PER_TENANT,
      perAnonymousClient: env.RATE_LIMIT_PER_ANONYMOUS_CLIENT,
      authFailuresPerClient: env.AUTH_FAILURES_PER_CLIENT,
    },
    authStateSyncIntervalMs: env.AUTH_STATE_SYNC_INTERVAL_MS,
    github: {
      apiUrl: env.GITHUB_API_URL,
      organization: env.GITHUB_ORGANIZATION,
      adminTeam: env.GITHUB_ADMIN_TEAM,
      developerTeam: env.GITHUB_DEVELOPER_TEAM,
      timeoutMs: env.GITHUB_TIMEOUT_MS,
    },
    statusServices: env.STATUS_SERVICES,
    serviceStatusTimeoutMs: env.SERVICE_STATUS_TIMEOUT_MS,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
  };
}

const configSchema = environment.transform(toGatewayConfig);

/** The gateway's variables, for callers that compose it (standalone, tests): typos are compile errors. */
export type GatewayEnvironment = { [Variable in keyof z.input<typeof environment>]?: string };

/**
 * The one way to build `GatewayConfig`: the variables given, the schema's defaults for the rest (tests and
 * standalone pass their own). Throws a ConfigError naming every bad variable.
 */
export function parseGatewayConfig(env: GatewayEnvironment): GatewayConfig {
  return parseConfig(configSchema, env);
}

/** For main.ts: the config, or every problem printed and exit 1. */
export function loadGatewayConfigOrExit(options: LoadConfigOptions = {}): GatewayConfig {
  return loadConfigOrExit(configSchema, options);
}

/** overcast-admin and the migrate entry point need only the database. */
const databaseConfigSchema = environment
  .pick({ DATABASE_URL: true, DATABASE_SCHEMA: true, LOG_LEVEL: true })
  .transform((env) => ({ databaseUrl: env.DATABASE_URL, databaseSchema: env.DATABASE_SCHEMA }));

export function loadDatabaseConfigOrExit(options: LoadConfigOptions = {}): z.output<typeof databaseConfigSchema> {
  return loadConfigOrExit(databaseConfigSchema, options);
}

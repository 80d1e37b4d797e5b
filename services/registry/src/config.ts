import { encryptionKeyVariable } from '@overcast/providers';
import {
  amqpUrlVariable,
  databaseUrlVariable,
  loadConfigOrExit,
  logLevelVariable,
  parseConfig,
  portVariable,
  positiveIntegerVariable,
  type LoadConfigOptions,
} from '@overcast/service-kit';
import { z } from 'zod';

const commaSeparated = (defaultValue = '') =>
  z
    .string()
    .default(defaultValue)
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== ''),
    );

/** What the registry itself needs, whoever runs it (main.ts, standalone, tests). */
const settingsVariables = z.object({
  /** Seals the CA's and deployments' private keys at rest (AES-256-GCM). Required: no default key. */
  OVERCAST_ENCRYPTION_KEY: encryptionKeyVariable(),
  /** How often the reconcile pass runs (1000 ms). */
  RECONCILE_INTERVAL_MS: positiveIntegerVariable(1_000),
  /** Agents heartbeat this often (2000 ms); a datacenter is down after HEARTBEAT_MISSED_LIMIT of them are missed. */
  HEARTBEAT_INTERVAL_MS: positiveIntegerVariable(2_000),
  /** Missed heartbeats before a datacenter is down and its nodes are placed elsewhere (2). */
  HEARTBEAT_MISSED_LIMIT: positiveIntegerVariable(2),
  /** How long a returned datacenter must stay up before nodes move back to it (10000 ms). */
  FAILBACK_AFTER_MS: positiveIntegerVariable(10_000),
  /** Lease of the reconcile job: a stopped replica's is taken over after it (5000 ms). */
  PERIODIC_JOB_LEASE_MS: positiveIntegerVariable(5_000),
  /**
   * The port datacenter agents reach the registry on (gRPC over mutual TLS only); 0 takes a free one. Unset: no
   * agent endpoint (a registry replica that serves only the API).
   */
  AGENT_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  /** The address the agent endpoint listens on (127.0.0.1: agents on this machine only). */
  AGENT_HOST: z.string().min(1).default('127.0.0.1'),
  /** Names and addresses the endpoint's certificate carries, comma-separated (localhost,127.0.0.1). */
  AGENT_SERVER_NAMES: commaSeparated('localhost,127.0.0.1'),
  /** How often the notifier fans events out and tries due deliveries (1000 ms). */
  NOTIFY_INTERVAL_MS: positiveIntegerVariable(1_000),
  /** Tries of one delivery before it is dead, kept with its error and reported as notification.failed (8). */
  NOTIFY_MAX_ATTEMPTS: positiveIntegerVariable(8),
  /** The wait after a first failure (5000 ms), doubled after each further one up to NOTIFY_RETRY_MAX_MS (1 h). */
  NOTIFY_RETRY_BASE_MS: positiveIntegerVariable(5_000),
  NOTIFY_RETRY_MAX_MS: positiveIntegerVariable(3_600_000),
  /** One webhook request or SMTP exchange at most this long (10000 ms). */
  NOTIFY_TIMEOUT_MS: positiveIntegerVariable(10_000),
  /**
   * Hosts webhooks may be sent to, comma-separated: `hooks.example.com`, `*.example.com`, or `*` for any public
   * host. Empty (the default): no webhook is sent, each is dead with the reason. Safety default: a deployment file
   * must not make the registry call whatever it names.
   */
  WEBHOOK_ALLOWED_HOSTS: commaSeparated(),
  /**
   * Networks (CIDR) beyond the public internet an allowed host may resolve to, comma-separated; loopback, private
   * and link-local addresses are refused otherwise, judged on the addresses connected to (none by default).
   */
  WEBHOOK_ALLOWED_NETWORKS: commaSeparated().pipe(
    z.array(z.union([z.cidrv4(), z.cidrv6()], { error: 'must be networks such as 10.0.0.0/8, fd00::/8' })),
  ),
  /** A PEM file of extra CAs webhook receivers may be certified by (an internal CA); the system's otherwise. */
  WEBHOOK_CA_FILE: z.string().min(1).optional(),
  /** The SMTP server email notifications go through (smtp://user:pass@host:587, smtps://…); unset: none are sent. */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
  /** The sender of notification emails (overcast@localhost). */
  NOTIFY_EMAIL_FROM: z.string().min(3).default('overcast@localhost'),
});

export interface NotificationSettings {
  intervalMs: number;
  maxAttempts: number;
  retry: { baseDelayMs: number; maxDelayMs: number };
  timeoutMs: number;
  allowedHosts: string[];
  allowedNetworks: string[];
  caFile?: string;
  smtpUrl?: string;
  emailFrom: string;
}

export interface RegistrySettings {
  secretsKey: string;
  reconcileIntervalMs: number;
  heartbeatTimeoutMs: number;
  failbackAfterMs: number;
  jobLeaseMs: number;
  /** Where agents heartbeat over mutual TLS; undefined: no agent endpoint. */
  agentEndpoint?: { host: string; port: number; serverNames: string[] };
  notifications: NotificationSettings;
}

/** The parsed variables as settings; used by both schemas (the full config's transform sees parsed values). */
const toSettings = (env: z.output<typeof settingsVariables>): RegistrySettings => ({
  secretsKey: env.OVERCAST_ENCRYPTION_KEY,
  reconcileIntervalMs: env.RECONCILE_INTERVAL_MS,
  heartbeatTimeoutMs: env.HEARTBEAT_INTERVAL_MS * env.HEARTBEAT_MISSED_LIMIT,
  failbackAfterMs: env.FAILBACK_AFTER_MS,
  jobLeaseMs: env.PERIODIC_JOB_LEASE_MS,
  notifications: {
    intervalMs: env.NOTIFY_INTERVAL_MS,
    maxAttempts: env.NOTIFY_MAX_ATTEMPTS,
    retry: { baseDelayMs: env.NOTIFY_RETRY_BASE_MS, maxDelayMs: env.NOTIFY_RETRY_MAX_MS },
    timeoutMs: env.NOTIFY_TIMEOUT_MS,
    allowedHosts: env.WEBHOOK_ALLOWED_HOSTS,
    allowedNetworks: env.WEBHOOK_ALLOWED_NETWORKS,
    ...(env.WEBHOOK_CA_FILE === undefined ? {} : { caFile: env.WEBHOOK_CA_FILE }),
    ...(env.SMTP_URL === undefined ? {} : { smtpUrl: env.SMTP_URL }),
    emailFrom: env.NOTIFY_EMAIL_FROM,
  },
  ...(env.AGENT_PORT === undefined
    ? {}
    : { agentEndpoint: { host: env.AGENT_HOST, port: env.AGENT_PORT, serverNames: env.AGENT_SERVER_NAMES } }),
});

const settingsSchema = settingsVariables.transform(toSettings);

const migrateEnvironment = z.object({
  /** The registry's own database. */
  DATABASE_URL: databaseUrlVariable(),
  /** Its schema (registry). */
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/)
    .default('registry'),
});

const environment = migrateEnvironment.extend({
  ...settingsVariables.shape,
  /** RabbitMQ; required (standalone composes the registry on its own bus in-process). */
  AMQP_URL: amqpUrlVariable(),
  /** Prefix of every exchange and queue (overcast); the same as the gateway's. */
  BUS_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/)
    .default('overcast'),
  /** Health, readiness and metrics (8083). */
  PORT: portVariable(8083),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: logLevelVariable(),
});

const configSchema = environment.transform((env) => ({ ...env, settings: toSettings(env) }));

export type RegistrySettingsEnvironment = { [Variable in keyof z.input<typeof settingsVariables>]?: string };
export type RegistryConfig = z.output<typeof configSchema>;

export function parseRegistrySettings(env: RegistrySettingsEnvironment): RegistrySettings {
  return parseConfig(settingsSchema, env);
}

export function parseRegistryConfig(env: NodeJS.ProcessEnv = process.env): RegistryConfig {
  return parseConfig(configSchema, env);
}

export function loadRegistryConfigOrExit(options: LoadConfigOptions = {}): RegistryConfig {
  return loadConfigOrExit(configSchema, options);
}

export function loadMigrateConfigOrExit(options: LoadConfigOptions = {}): z.output<typeof migrateEnvironment> {
  return loadConfigOrExit(migrateEnvironment, options);
}

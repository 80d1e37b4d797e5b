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

const schemaName = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lowercase Postgres identifier (letters, digits, _)');

const providerNames = z
  .string()
  .regex(/^(aws|gce|local|fake)(,(aws|gce|local|fake))*$/, 'must be a comma-separated list of aws, gce, local, fake')
  .transform((value) => [...new Set(value.split(','))] as ('aws' | 'gce' | 'local' | 'fake')[]);

/** An encrypted provider config as `overcast-broker seal-provider-config` prints it (never plain credentials). */
const sealedConfig = z.string().regex(/^v1\.[A-Za-z0-9_.-]+$/, 'must be a sealed config (run the seal-provider-config script)');

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

/** What the migrate entry point needs (the init container has nothing else). */
const migrateEnvironment = z.object({
  /** The broker's own Postgres. Required. A Prisma-style `?schema=` must agree with DATABASE_SCHEMA. */
  DATABASE_URL: databaseUrlVariable(),
  /** Its schema (instance_broker); no other service reads it. */
  DATABASE_SCHEMA: schemaName.default('instance_broker'),
});

const environment = migrateEnvironment.extend({
  /** Health, readiness and metrics only (8080); the broker's API is RPC over the bus. */
  PORT: portVariable(8080),
  /** Interface to bind (0.0.0.0: probes come from outside the container). */
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: logLevelVariable(),
  /** RabbitMQ. Required: a lone broker on an in-memory bus is reachable by nobody (standalone composes it in-process). */
  AMQP_URL: amqpUrlVariable(),
  /** Prefix of every exchange and queue (overcast); the same as the gateway's. */
  BUS_NAMESPACE: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'must be letters, digits, ., _ or -').default('overcast'),
  /** AES-256-GCM key (64 hex or base64 of 32 bytes): opens the sealed provider configs, seals build user data. Required. */
  OVERCAST_ENCRYPTION_KEY: z.string({ error: 'is required (64 hex characters or base64 of 32 bytes)' }).min(1),
  /** Enabled providers (local): any of aws, gce, local, fake. */
  PROVIDERS: providerNames.default(['local']),
  /** Provider of instance builds that name none (the first of PROVIDERS). */
  DEFAULT_PROVIDER: z.enum(['aws', 'gce', 'local', 'fake']).optional(),
  /** Where local instances live (.overcast/local-instances); keeping it keeps them across restarts. */
  LOCAL_DATA_DIR: z.string().min(1).default('.overcast/local-instances'),
  /** JSON file of the local image catalog (operator-defined; callers pick a name, never a command). Default: `defaultLocalImages` (one `debian-local` image). */
  LOCAL_IMAGES_FILE: z.string().min(1).optional(),
  /** First two octets of local instance addresses (127.100). */
  LOCAL_ADDRESS_PREFIX: z.string().regex(/^127\.\d{1,3}$/, 'must look like "127.<0-255>"').default('127.100'),
  /** Sealed JSON of the AWS provider config ({region, credentials?, instanceTypes?, subnetId?, …}); required with aws. */
  AWS_PROVIDER_CONFIG: sealedConfig.optional(),
  /** Sealed JSON of the GCE provider config ({projectId, zone?, credentials?, …}); required with gce. */
  GCE_PROVIDER_CONFIG: sealedConfig.optional(),
  /** Slack-compatible incoming webhook (a credential); unset: notifications are skipped. */
  SLACK_WEBHOOK_URL: httpUrl.optional(),
  /** Name and icon the notifications post as (overcast, :cloud:). */
  SLACK_USERNAME: z.string().min(1).default('overcast'),
  SLACK_ICON_EMOJI: z.string().regex(/^:[a-z0-9_+-]+:$/, 'must look like :emoji:').default(':cloud:'),
  /** Period of the reconciler per provider (5000 ms, cloud-brain's); backs off on provider errors. */
  REFRESH_INTERVAL_MS: positiveIntegerVariable(5_000),
  /** Period of the reaper (60000 ms). */
  REAPER_INTERVAL_MS: positiveIntegerVariable(60_000),
  /** Tagged provider instances younger than this are never reaped (600000 ms): their row may be in flight. */
  REAPER_GRACE_PERIOD_MS: positiveIntegerVariable(600_000),
  /** How long a build's Basic credentials open its init script (86400 s); covers the create retries. */
  INIT_SCRIPT_TTL_SECONDS: positiveIntegerVariable(86_400),
  /** Operator template of the init script with {{placeholders}} only (default: the built-in one). */
  INIT_SCRIPT_TEMPLATE_FILE: z.string().min(1).optional(),
  /** Security group opening TCP 22 that builds without one share (overcast-ssh). */
  SSH_SECURITY_GROUP_NAME: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'must be a short name').default('overcast-ssh'),
  /** Attempts of a provider job before it is parked in the dead-letter queue (8). */
  JOB_MAX_ATTEMPTS: positiveIntegerVariable(8),
  /** Jobs in flight per replica (8). */
  JOB_PREFETCH: positiveIntegerVariable(8),
  /**
   * Live instances (not terminated, with what pending builds will boot) a tenant may have (100); a tenant's own
   * limit, set with `pnpm --filter @overcast/instance-broker set-quota`, replaces it.
   */
  INSTANCE_QUOTA_PER_TENANT: positiveIntegerVariable(100),
});

export type MigrateConfig = z.output<typeof migrateEnvironment>;
export type BrokerConfig = z.output<typeof environment>;

/** Cross-variable rules zod's per-field schema cannot say. */
function checkProviderConfigs(config: BrokerConfig): BrokerConfig {
  const problems: string[] = [];
  if (config.PROVIDERS.includes('aws') && !config.AWS_PROVIDER_CONFIG) problems.push('AWS_PROVIDER_CONFIG: is required when PROVIDERS includes aws');
  if (config.PROVIDERS.includes('gce') && !config.GCE_PROVIDER_CONFIG) problems.push('GCE_PROVIDER_CONFIG: is required when PROVIDERS includes gce');
  if (config.DEFAULT_PROVIDER && !config.PROVIDERS.includes(config.DEFAULT_PROVIDER)) {
    problems.push('DEFAULT_PROVIDER: must be one of PROVIDERS');
  }
  if (problems.length > 0) throw new Error(['invalid configuration:', ...problems.map((problem) => `  ${problem}`)].join('\n'));
  return config;
}

export function parseBrokerConfig(env: NodeJS.ProcessEnv = process.env): BrokerConfig {
  return checkProviderConfigs(parseConfig(environment, env));
}

/** For main.ts: the config, or every problem printed (naming its variable, never its value) and exit 1. */
export function loadBrokerConfigOrExit(options: LoadConfigOptions = {}): BrokerConfig {
  const config = loadConfigOrExit(environment, options);
  try {
    return checkProviderConfigs(config);
  } catch (error) {
    (options.write ?? ((text: string) => process.stderr.write(text)))(`${(error as Error).message}\n`);
    return (options.exit ?? ((code: number) => process.exit(code)))(1);
  }
}

export function loadMigrateConfigOrExit(options: LoadConfigOptions = {}): MigrateConfig {
  return loadConfigOrExit(migrateEnvironment, options);
}

/** What the set-quota script needs: the database, and the default it reports a tenant's usage against. */
const quotaAdminEnvironment = environment.pick({ DATABASE_URL: true, DATABASE_SCHEMA: true, INSTANCE_QUOTA_PER_TENANT: true });
export type QuotaAdminConfig = z.output<typeof quotaAdminEnvironment>;

export function loadQuotaAdminConfigOrExit(options: LoadConfigOptions = {}): QuotaAdminConfig {
  return loadConfigOrExit(quotaAdminEnvironment, options);
}

/** The key, for the seal-provider-config script. */
export function encryptionKeyFromEnvironment(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.OVERCAST_ENCRYPTION_KEY;
}

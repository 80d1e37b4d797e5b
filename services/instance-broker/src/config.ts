import { encryptionKeyVariable } from '@overcast/providers';
import {
  amqpUrlVariable,
  booleanVariable,
  databaseUrlVariable,
  loadConfigOrExit,
  logLevelVariable,
  optionalPortVariable,
  optionalPositiveIntegerVariable,
  parseConfig,
  portVariable,
  positiveIntegerVariable,
  tracingSettingsOf,
  tracingVariables,
  type LoadConfigOptions,
} from '@overcast/service-kit';
import { z } from 'zod';
import { checkInitScriptTemplate } from './domain/init-script';
import { loadInitScriptTemplate } from './init-script-template';
import { puddingVariables } from './pudding-variables';
import type { BrokerSettings } from './settings';

const schemaName = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lowercase Postgres identifier (letters, digits, _)');

const providerName = z.enum(['aws', 'gce', 'local', 'fake'], { error: 'must be one of aws, gce, local, fake' });

const providerNames = z
  .string()
  .regex(/^(aws|gce|local|fake)(,(aws|gce|local|fake))*$/, 'must be a comma-separated list of aws, gce, local, fake')
  .transform((value) => [...new Set(value.split(','))] as z.output<typeof providerName>[]);

/** An encrypted provider config as `overcast-broker seal-provider-config` prints it (never plain credentials). */
const sealedConfig = z
  .string()
  .regex(/^v1\.[A-Za-z0-9_.-]+$/, 'must be a sealed config (run the seal-provider-config script)');

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

/** Idempotency-Keys are honoured this long: what the API promises, so not an operator's choice. */
const idempotencyTtlMs = 24 * 60 * 60_000;
/** Inbox entries outlive any redelivery (retries, replays from the dead-letter queue) by far. */
const inboxRetentionMs = 7 * 24 * 60 * 60_000;

/**
 * The local provider's variables, read alike by the broker's main and by `pnpm start` (which owns the data dir):
 * one catalog whichever process runs the provider.
 */
const localProviderVariables = z.object({
  /** JSON file of the local image catalog (operator-defined; callers pick a name, never a command). Default: `defaultLocalImages` (one `debian-local` image). */
  LOCAL_IMAGES_FILE: z.string().min(1).optional(),
  /** First two octets of local instance addresses (127.100). */
  LOCAL_ADDRESS_PREFIX: z
    .string()
    .regex(/^127\.\d{1,3}$/, 'must look like "127.<0-255>"')
    .default('127.100'),
});
export type LocalProviderVariables = z.output<typeof localProviderVariables>;

/** The local provider's variables among those given, the schema's defaults for the rest; throws a ConfigError naming each bad one. */
export function parseLocalProviderVariables(env: Readonly<Record<string, string | undefined>>): LocalProviderVariables {
  return parseConfig(localProviderVariables, env);
}

/** Where pudding's notices go, read alike by the broker's main and by `pnpm start`. */
const slackVariables = z.object({
  /** Slack-compatible incoming webhook (a credential); unset: notifications are skipped. */
  SLACK_WEBHOOK_URL: httpUrl.optional(),
  /** Name and icon the notifications post as (overcast, :cloud:). */
  SLACK_USERNAME: z.string().min(1).default('overcast'),
  SLACK_ICON_EMOJI: z
    .string()
    .regex(/^:[a-z0-9_+-]+:$/, 'must look like :emoji:')
    .default(':cloud:'),
});
export type SlackVariables = z.output<typeof slackVariables>;

/** The Slack variables among those given, the schema's defaults for the rest; throws a ConfigError naming each bad one. */
export function parseSlackVariables(env: Readonly<Record<string, string | undefined>>): SlackVariables {
  return parseConfig(slackVariables, env);
}

/** What the migrate entry point needs (the init container has nothing else). */
const migrateEnvironment = z.object({
  /** The broker's own Postgres. Required. A Prisma-style `?schema=` must agree with DATABASE_SCHEMA. */
  DATABASE_URL: databaseUrlVariable(),
  /** Its schema (instance_broker); no other service reads it. */
  DATABASE_SCHEMA: schemaName.default('instance_broker'),
});

/** The variables `createInstanceBrokerService` is configured by: the only place their defaults are written. */
const serviceVariables = z.object({
  /** AES-256-GCM key (64 hex or base64 of 32 bytes): opens the sealed provider configs, seals build user data. Required. */
  OVERCAST_ENCRYPTION_KEY: encryptionKeyVariable(),
  /** Provider of instance builds that name none (the first of PROVIDERS). */
  DEFAULT_PROVIDER: providerName.optional(),
  /** Period of the reconciler per provider (5000 ms, cloud-brain's); backs off on provider errors. */
  REFRESH_INTERVAL_MS: positiveIntegerVariable(5_000),
  /**
   * Period of the autoscaling groups' sync (30000 ms, pudding's ec2-sync): each group an autoscaling group build made
   * is described and its instances adopted and converged; a group whose provider fails backs off.
   */
  AUTOSCALING_SYNC_INTERVAL_MS: positiveIntegerVariable(30_000),
  /** Period of the reaper (60000 ms). */
  REAPER_INTERVAL_MS: positiveIntegerVariable(60_000),
  /** Tagged provider instances younger than this are never reaped (600000 ms): their row may be in flight. */
  REAPER_GRACE_PERIOD_MS: positiveIntegerVariable(600_000),
  /** Lease of the periodic jobs; unset: the job runner's (30 s). A shorter lease hands over sooner after a crash. */
  PERIODIC_JOB_LEASE_MS: optionalPositiveIntegerVariable(),
  /**
   * How long a build's Basic credentials open its init script and callbacks (86400 s); covers the create retries.
   * They keep opening them while an autoscaling group made from one of the build's instances exists (built or being
   * built; the broker records no group deleted, so that is for good): the group boots copies of that instance,
   * credentials included, at any time (domain/build-caller.ts).
   */
  INIT_SCRIPT_TTL_SECONDS: positiveIntegerVariable(86_400),
  /** Operator template of the init script, in pudding's template language (domain/init-script.ts; default: the built-in one). */
  INIT_SCRIPT_TEMPLATE_FILE: z.string().min(1).optional(),
  ...puddingVariables.shape,
  /** Security group opening TCP 22 that builds without one share (overcast-ssh). */
  SSH_SECURITY_GROUP_NAME: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, 'must be a short name')
    .default('overcast-ssh'),
  /** Attempts of a provider job before it is parked in the dead-letter queue (8). */
  JOB_MAX_ATTEMPTS: positiveIntegerVariable(8),
  /** First retry delay of a failed job (1000 ms); it doubles up to JOB_RETRY_MAX_DELAY_MS. */
  JOB_RETRY_BASE_DELAY_MS: positiveIntegerVariable(1_000),
  /** Longest retry delay of a failed job (60000 ms). */
  JOB_RETRY_MAX_DELAY_MS: positiveIntegerVariable(60_000),
  /** Jobs in flight per replica (8). */
  JOB_PREFETCH: positiveIntegerVariable(8),
  /**
   * Live instances (not terminated, with what pending builds will boot) a tenant may have (100); a tenant's own
   * limit, set with `pnpm --filter @overcast/instance-broker set-quota`, replaces it.
   */
  INSTANCE_QUOTA_PER_TENANT: positiveIntegerVariable(100),
  /**
   * Confirm SNS subscriptions (pudding's SNS_CONFIRMATION, false): a SubscriptionConfirmation of a topic that one of
   * the tenants' autoscaling group builds named is confirmed with ConfirmSubscription on that build's provider.
   */
  SNS_CONFIRMATION: booleanVariable(false),
});

type ServiceVariables = z.output<typeof serviceVariables>;

/** A template that writes pudding's configured values needs them: refused at start, not at an instance's boot. */
function requireTemplateValues(env: ServiceVariables, fields: ReadonlySet<string>, context: z.RefinementCtx): void {
  const missing = (variable: string, field: string) =>
    context.addIssue({
      code: 'custom',
      path: [variable],
      message: `is required: the init-script template writes {{ .${field} }} (or set PUDDING_${variable})`,
    });
  if (fields.has('InstanceRSA') && (env.INSTANCE_RSA ?? env.PUDDING_INSTANCE_RSA) === undefined) {
    missing('INSTANCE_RSA', 'InstanceRSA');
  }
  const readsYml = [...fields].find((field) => field === 'InstanceYML' || field === 'PapertrailSite');
  if (readsYml && (env.INSTANCE_YML ?? env.PUDDING_INSTANCE_YML) === undefined) missing('INSTANCE_YML', readsYml);
}

function toBrokerSettings(env: ServiceVariables, context: z.RefinementCtx): BrokerSettings {
  let initScriptTemplate = '';
  try {
    initScriptTemplate = loadInitScriptTemplate(env.INIT_SCRIPT_TEMPLATE_FILE);
    requireTemplateValues(env, checkInitScriptTemplate(initScriptTemplate), context);
  } catch (error) {
    context.addIssue({
      code: 'custom',
      path: ['INIT_SCRIPT_TEMPLATE_FILE'],
      message: (error as Error).message.replace(/^INIT_SCRIPT_TEMPLATE_FILE: /, ''),
    });
  }
  return {
    secretsKey: env.OVERCAST_ENCRYPTION_KEY,
    defaultProvider: env.DEFAULT_PROVIDER,
    refreshIntervalMs: env.REFRESH_INTERVAL_MS,
    reaperIntervalMs: env.REAPER_INTERVAL_MS,
    autoscalingSyncIntervalMs: env.AUTOSCALING_SYNC_INTERVAL_MS,
    reaperGraceMs: env.REAPER_GRACE_PERIOD_MS,
    jobLeaseMs: env.PERIODIC_JOB_LEASE_MS,
    idempotencyTtlMs,
    inboxRetentionMs,
    initScriptTtlMs: env.INIT_SCRIPT_TTL_SECONDS * 1000,
    initScriptTemplate,
    initScriptInstanceRsa: env.INSTANCE_RSA ?? env.PUDDING_INSTANCE_RSA,
    initScriptMetaYml: env.INSTANCE_YML ?? env.PUDDING_INSTANCE_YML,
    sshSecurityGroupName: env.SSH_SECURITY_GROUP_NAME,
    retry: {
      maxAttempts: env.JOB_MAX_ATTEMPTS,
      baseDelayMs: env.JOB_RETRY_BASE_DELAY_MS,
      maxDelayMs: env.JOB_RETRY_MAX_DELAY_MS,
    },
    prefetch: env.JOB_PREFETCH,
    instanceQuotaPerTenant: env.INSTANCE_QUOTA_PER_TENANT,
    snsConfirmation: env.SNS_CONFIRMATION,
  };
}

const settingsSchema = serviceVariables.transform(toBrokerSettings);

const environment = migrateEnvironment.extend({
  ...serviceVariables.shape,
  /** Enabled providers (local): any of aws, gce, local, fake. */
  PROVIDERS: providerNames.default(['local']),
  /** Health, readiness and metrics only (8080); the broker's API is RPC over the bus. */
  PORT: portVariable(8080),
  /** Interface to bind (0.0.0.0: probes come from outside the container). */
  HOST: z.string().min(1).default('0.0.0.0'),
  /** `/metrics` on a port of its own, on HOST; unset: on PORT with the health endpoints. */
  METRICS_PORT: optionalPortVariable(),
  ...tracingVariables.shape,
  LOG_LEVEL: logLevelVariable(),
  /** RabbitMQ. Required: a lone broker on an in-memory bus is reachable by nobody (standalone composes it in-process). */
  AMQP_URL: amqpUrlVariable(),
  /** Prefix of every exchange and queue (overcast); the same as the gateway's. */
  BUS_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'must be letters, digits, ., _ or -')
    .default('overcast'),
  /** Where local instances live (.overcast/local-instances); keeping it keeps them across restarts. */
  LOCAL_DATA_DIR: z.string().min(1).default('.overcast/local-instances'),
  ...localProviderVariables.shape,
  /** Sealed JSON of the AWS provider config ({region, credentials?, instanceTypes?, subnetId?, …}); required with aws. */
  AWS_PROVIDER_CONFIG: sealedConfig.optional(),
  /** Sealed JSON of the GCE provider config ({projectId, zone?, credentials?, …}); required with gce. */
  GCE_PROVIDER_CONFIG: sealedConfig.optional(),
  ...slackVariables.shape,
});

type BrokerEnvironment = z.output<typeof environment>;

/** Rules across variables, each issue naming the variable to fix. */
function checkProviderConfigs(env: BrokerEnvironment, context: z.RefinementCtx): void {
  if (env.DEFAULT_PROVIDER && !env.PROVIDERS.includes(env.DEFAULT_PROVIDER)) {
    context.addIssue({ code: 'custom', path: ['DEFAULT_PROVIDER'], message: 'must be one of PROVIDERS' });
  }
  if (env.PROVIDERS.includes('aws') && !env.AWS_PROVIDER_CONFIG) {
    context.addIssue({
      code: 'custom',
      path: ['AWS_PROVIDER_CONFIG'],
      message: 'is required when PROVIDERS includes aws',
    });
  }
  if (env.PROVIDERS.includes('gce') && !env.GCE_PROVIDER_CONFIG) {
    context.addIssue({
      code: 'custom',
      path: ['GCE_PROVIDER_CONFIG'],
      message: 'is required when PROVIDERS includes gce',
    });
  }
}

/** The process's environment: what main.ts wires (database, bus, providers, ops port) and the service's settings. */
const configSchema = environment.superRefine(checkProviderConfigs).transform((env, context) => ({
  ...env,
  settings: toBrokerSettings(env, context),
  tracing: tracingSettingsOf(env),
}));

export type MigrateConfig = z.output<typeof migrateEnvironment>;
export type BrokerConfig = z.output<typeof configSchema>;

/** The service's variables, for callers without a process environment of their own (standalone, tests). */
export type BrokerSettingsEnvironment = { [Variable in keyof z.input<typeof serviceVariables>]?: string };

/**
 * The one way to build `BrokerSettings`: the variables given, the schema's defaults for the rest. Throws a
 * ConfigError naming each bad variable.
 */
export function parseBrokerSettings(
  env: BrokerSettingsEnvironment & Readonly<Record<string, string | undefined>>,
): BrokerSettings {
  return withTemplateEnvironment(parseConfig(settingsSchema, env), env);
}

export function parseBrokerConfig(env: NodeJS.ProcessEnv = process.env): BrokerConfig {
  const config = parseConfig(configSchema, env);
  return { ...config, settings: withTemplateEnvironment(config.settings, env) };
}

/**
 * pudding's init-script templates read the environment the broker was started with (`env`, `env_for`): the
 * variables given, beside the ones the schema knows (an operator keeps RSA_KEY_ORG_PROD and the like there).
 */
function withTemplateEnvironment(
  settings: BrokerSettings,
  env: Readonly<Record<string, string | undefined>>,
): BrokerSettings {
  const given = Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
  return { ...settings, initScriptEnvironment: Object.fromEntries(given) };
}

/** For main.ts: the config, or every problem printed (naming its variable, never its value) and exit 1. */
export function loadBrokerConfigOrExit(options: LoadConfigOptions = {}): BrokerConfig {
  const config = loadConfigOrExit(configSchema, options);
  return { ...config, settings: withTemplateEnvironment(config.settings, options.env ?? process.env) };
}

export function loadMigrateConfigOrExit(options: LoadConfigOptions = {}): MigrateConfig {
  return loadConfigOrExit(migrateEnvironment, options);
}

/** What the set-quota script needs: the database, and the default it reports a tenant's usage against. */
const quotaAdminEnvironment = environment.pick({
  DATABASE_URL: true,
  DATABASE_SCHEMA: true,
  INSTANCE_QUOTA_PER_TENANT: true,
});
export type QuotaAdminConfig = z.output<typeof quotaAdminEnvironment>;

export function loadQuotaAdminConfigOrExit(options: LoadConfigOptions = {}): QuotaAdminConfig {
  return loadConfigOrExit(quotaAdminEnvironment, options);
}

/** The key, for the seal-provider-config script (which checks it itself, naming the variable). */
export function encryptionKeyFromEnvironment(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.OVERCAST_ENCRYPTION_KEY;
}

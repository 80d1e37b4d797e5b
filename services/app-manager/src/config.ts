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
import type { TenantQuotaLimits } from './domain/tenant-quotas';

/** What the app manager itself needs, whoever runs it (main.ts, standalone, tests). */
const settingsVariables = z.object({
  /** Seals env var values and district AWS credentials at rest (AES-256-GCM). Required: no default key. */
  OVERCAST_ENCRYPTION_KEY: encryptionKeyVariable(),
  /** A deploy whose services have not settled after this long is timed out (1000000 ms, Barcelona's ≈1000 s). */
  DEPLOY_TIMEOUT_MS: positiveIntegerVariable(1_000_000),
  /** First pause between looks at a deploying service or a running task, doubling to 1 s (50 ms). */
  DEPLOY_POLL_INTERVAL_MS: positiveIntegerVariable(50),
  /** How long a `sync` one-off is waited for before the answer (4000 ms, under the gateway's RPC timeout). */
  SYNC_ONEOFF_WAIT_MS: positiveIntegerVariable(4_000),
  /** How often the durable scheduler looks for due cron ticks (1000 ms). */
  SCHEDULER_INTERVAL_MS: positiveIntegerVariable(1_000),
  /** Lease of the scheduler job: a stopped replica's is taken over after it (5000 ms). */
  PERIODIC_JOB_LEASE_MS: positiveIntegerVariable(5_000),
  /** The instance broker image container instances boot from (launch_instances) (ecs-optimized). */
  CONTAINER_INSTANCE_IMAGE: z.string().min(1).default('ecs-optimized'),
  /** Districts one tenant may hold (100); more are refused with quota_exceeded, as instances are. */
  DISTRICT_QUOTA_PER_TENANT: positiveIntegerVariable(100),
  /** Apps one tenant may hold across its districts (10000: bench/apps creates thousands under one tenant). */
  APP_QUOTA_PER_TENANT: positiveIntegerVariable(10_000),
  /** Deploy and one-off jobs tried this often before the dead-letter queue (5). */
  JOB_MAX_ATTEMPTS: positiveIntegerVariable(5),
  /** First retry delay of a failed job, doubling with jitter up to 30 s (500 ms). */
  JOB_RETRY_BASE_MS: positiveIntegerVariable(500),
});

export interface AppManagerSettings {
  secretsKey: string;
  deployTimeoutMs: number;
  pollIntervalMs: number;
  syncOneoffWaitMs: number;
  schedulerIntervalMs: number;
  jobLeaseMs: number;
  containerInstanceImage: string;
  jobMaxAttempts: number;
  jobRetryBaseMs: number;
  quotas: TenantQuotaLimits;
}

/** The parsed variables as settings; used by both schemas (the full config's transform sees parsed values). */
const toSettings = (env: z.output<typeof settingsVariables>): AppManagerSettings => ({
  secretsKey: env.OVERCAST_ENCRYPTION_KEY,
  deployTimeoutMs: env.DEPLOY_TIMEOUT_MS,
  pollIntervalMs: env.DEPLOY_POLL_INTERVAL_MS,
  syncOneoffWaitMs: env.SYNC_ONEOFF_WAIT_MS,
  schedulerIntervalMs: env.SCHEDULER_INTERVAL_MS,
  jobLeaseMs: env.PERIODIC_JOB_LEASE_MS,
  containerInstanceImage: env.CONTAINER_INSTANCE_IMAGE,
  jobMaxAttempts: env.JOB_MAX_ATTEMPTS,
  jobRetryBaseMs: env.JOB_RETRY_BASE_MS,
  quotas: { districts: env.DISTRICT_QUOTA_PER_TENANT, apps: env.APP_QUOTA_PER_TENANT },
});

const settingsSchema = settingsVariables.transform(toSettings);

const migrateEnvironment = z.object({
  /** The app manager's own database. */
  DATABASE_URL: databaseUrlVariable(),
  /** Its schema (app_manager). */
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/)
    .default('app_manager'),
});

const environment = migrateEnvironment.extend({
  ...settingsVariables.shape,
  /** RabbitMQ; required (standalone composes the app manager on its own bus in-process). */
  AMQP_URL: amqpUrlVariable(),
  /** Prefix of every exchange and queue (overcast); the same as the gateway's. */
  BUS_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/)
    .default('overcast'),
  /** Container platforms this process runs districts on, comma-separated (fake); aws needs no credentials here. */
  CONTAINER_PROVIDERS: z.string().default('fake'),
  /** Where the local platform keeps its districts' state (unset: in memory, tasks stop with the process). */
  LOCAL_CONTAINER_DATA_DIR: z.string().min(1).optional(),
  /**
   * The operator's image catalog, the instance broker's LOCAL_IMAGES_FILE: local districts' tasks run its images
   * with an `entrypoint` (unset: only the sample hello-web, which the file may redefine).
   */
  LOCAL_IMAGES_FILE: z.string().min(1).optional(),
  /** Region of aws districts that name none (unset: each aws district must name its region). */
  AWS_REGION: z.string().min(1).optional(),
  /** Health, readiness and metrics (8084). */
  PORT: portVariable(8084),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: logLevelVariable(),
});

const configSchema = environment.transform((env) => ({ ...env, settings: toSettings(env) }));

export type AppManagerSettingsEnvironment = { [Variable in keyof z.input<typeof settingsVariables>]?: string };
export type AppManagerConfig = z.output<typeof configSchema>;

export function parseAppManagerSettings(env: AppManagerSettingsEnvironment): AppManagerSettings {
  return parseConfig(settingsSchema, env);
}

export function parseAppManagerConfig(env: NodeJS.ProcessEnv = process.env): AppManagerConfig {
  return parseConfig(configSchema, env);
}

export function loadAppManagerConfigOrExit(options: LoadConfigOptions = {}): AppManagerConfig {
  return loadConfigOrExit(configSchema, options);
}

export function loadMigrateConfigOrExit(options: LoadConfigOptions = {}): z.output<typeof migrateEnvironment> {
  return loadConfigOrExit(migrateEnvironment, options);
}

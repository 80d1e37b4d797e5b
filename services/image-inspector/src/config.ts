import {
  amqpUrlVariable,
  databaseUrlVariable,
  loadConfigOrExit,
  logLevelVariable,
  optionalPortVariable,
  parseConfig,
  portVariable,
  positiveIntegerVariable,
  type LoadConfigOptions,
} from '@overcast/service-kit';
import { z } from 'zod';

/** What the image inspector itself needs, whoever runs it (main.ts, standalone, tests). */
const settingsVariables = z.object({
  /** Bytes one activity-log file may hold once decompressed (268435456, 256 MiB): a gzip bomb stops there. */
  ACTIVITY_LOG_MAX_BYTES: positiveIntegerVariable(268_435_456),
  /** The AWS account id `/api/v1/sysconfig/` names (the account customers' roles trust); unset: null. */
  CLOUDIGRADE_AWS_ACCOUNT_ID: z
    .string()
    .regex(/^\d{12}$/, 'must be a 12-digit AWS account id')
    .optional(),
  /** How often CloudTrail's SQS queue is read when one is configured (120000 ms, cloudigrade's beat). */
  CLOUDTRAIL_POLL_INTERVAL_MS: positiveIntegerVariable(120_000),
  /**
   * Bytes a disk image uploaded for inspection may hold as sent (17179869184, 16 GiB); larger ones are refused with
   * 413. It is spooled sparse (zero stretches take no disk), so the temporary directory needs its written data only.
   */
  INSPECTION_UPLOAD_MAX_BYTES: positiveIntegerVariable(17_179_869_184),
  /**
   * The port of the upload endpoint the gateway streams disk images to (a disk image never travels on the bus);
   * unset: no endpoint, and uploads answer 503. 0 takes a free port (standalone, tests).
   */
  INSPECTION_UPLOAD_PORT: optionalPortVariable(),
  /** The address it listens on (127.0.0.1: the gateway on this machine). */
  INSPECTION_UPLOAD_HOST: z.string().min(1).default('127.0.0.1'),
  /** The URL the gateway reaches it at (http://image-inspector:8085 in compose); unset: http://127.0.0.1:<port>. */
  INSPECTION_UPLOAD_URL: z.url().optional(),
  /** How often the AWS inspection job looks for images due (30000 ms); it runs where AWS accounts can register. */
  AWS_INSPECTION_INTERVAL_MS: positiveIntegerVariable(30_000),
  /**
   * The local provider's catalog (the instance broker's LOCAL_IMAGES_FILE): a local image whose `disk` names a disk
   * image or rootfs tar (relative to the file) is inspected from it when an instance first runs it. Unset: none is.
   */
  LOCAL_IMAGES_FILE: z.string().min(1).optional(),
  /**
   * How often images seen since are triaged (5000 ms): each new `pending` image is left for the AWS inspection job
   * or marked `needs_upload` with the reason no job can read it.
   */
  IMAGE_TRIAGE_INTERVAL_MS: positiveIntegerVariable(5_000),
  /**
   * AWS images taken from the database at a time (5); a pass reads every image due, one after another, each block by
   * block, and a stop waits for the image in hand.
   */
  AWS_INSPECTION_BATCH_SIZE: positiveIntegerVariable(5),
  /** Tries before an AWS image is left `error` with the last reason (10). */
  AWS_INSPECTION_MAX_ATTEMPTS: positiveIntegerVariable(10),
  /** The first retry's delay (60000 ms), doubled per failure up to AWS_INSPECTION_RETRY_MAX_MS (3600000), jittered. */
  AWS_INSPECTION_RETRY_BASE_MS: positiveIntegerVariable(60_000),
  AWS_INSPECTION_RETRY_MAX_MS: positiveIntegerVariable(3_600_000),
  /**
   * A directory watched for local accounts' CloudTrail files: `<dir>/<account id>/<file>` (gzip or plain JSON), each
   * ingested once and moved to `.done/`, or to `.rejected/` with its reason. Unset: none (pnpm start: .overcast/activity-logs).
   */
  ACTIVITY_LOG_WATCH_DIR: z.string().min(1).optional(),
  /** How often the watched directory is looked at (10000 ms). */
  ACTIVITY_LOG_WATCH_INTERVAL_MS: positiveIntegerVariable(10_000),
});

export interface AwsInspectionSettings {
  intervalMs: number;
  batchSize: number;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface InspectionUploadSettings {
  maxBytes: number;
  /** Null: no upload endpoint. */
  endpoint: { port: number; host: string; url: string | null } | null;
}

export interface ImageInspectorSettings {
  activityLogMaxBytes: number;
  awsAccountId: string | null;
  cloudTrailPollIntervalMs: number;
  inspectionUpload: InspectionUploadSettings;
  awsInspection: AwsInspectionSettings;
  imageTriageIntervalMs: number;
  /** The local provider's catalog file; null: no local image is read from a disk. */
  localImagesFile: string | null;
  /** Null: no watched directory. */
  watchedDirectory: { path: string; intervalMs: number } | null;
}

/** The parsed variables as settings; used by both schemas (the full config's transform sees parsed values). */
const toSettings = (env: z.output<typeof settingsVariables>): ImageInspectorSettings => ({
  activityLogMaxBytes: env.ACTIVITY_LOG_MAX_BYTES,
  awsAccountId: env.CLOUDIGRADE_AWS_ACCOUNT_ID ?? null,
  cloudTrailPollIntervalMs: env.CLOUDTRAIL_POLL_INTERVAL_MS,
  inspectionUpload: {
    maxBytes: env.INSPECTION_UPLOAD_MAX_BYTES,
    endpoint:
      env.INSPECTION_UPLOAD_PORT === undefined
        ? null
        : {
            port: env.INSPECTION_UPLOAD_PORT,
            host: env.INSPECTION_UPLOAD_HOST,
            url: env.INSPECTION_UPLOAD_URL ?? null,
          },
  },
  awsInspection: {
    intervalMs: env.AWS_INSPECTION_INTERVAL_MS,
    batchSize: env.AWS_INSPECTION_BATCH_SIZE,
    maxAttempts: env.AWS_INSPECTION_MAX_ATTEMPTS,
    baseDelayMs: env.AWS_INSPECTION_RETRY_BASE_MS,
    maxDelayMs: env.AWS_INSPECTION_RETRY_MAX_MS,
  },
  imageTriageIntervalMs: env.IMAGE_TRIAGE_INTERVAL_MS,
  localImagesFile: env.LOCAL_IMAGES_FILE ?? null,
  watchedDirectory: env.ACTIVITY_LOG_WATCH_DIR
    ? { path: env.ACTIVITY_LOG_WATCH_DIR, intervalMs: env.ACTIVITY_LOG_WATCH_INTERVAL_MS }
    : null,
});

const settingsSchema = settingsVariables.transform(toSettings);

const migrateEnvironment = z.object({
  /** The image inspector's own database. */
  DATABASE_URL: databaseUrlVariable(),
  /** Its schema (image_inspector). */
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,47}$/)
    .default('image_inspector'),
});

const environment = migrateEnvironment.extend({
  ...settingsVariables.shape,
  /** The bucket customers' CloudTrail trails write to; with it (and AWS credentials) AwsAccounts can register. */
  CLOUDTRAIL_S3_BUCKET: z.string().min(3).max(63).optional(),
  /** The SQS queue S3 notifies of new CloudTrail files; unset: no AWS log ingestion (uploads still work). */
  CLOUDTRAIL_SQS_QUEUE_URL: z.url().optional(),
  /** The region STS, the policy checks and CloudTrail are called in (us-east-1). */
  AWS_HOME_REGION: z.string().min(1).default('us-east-1'),
  /** RabbitMQ; required (standalone composes the image inspector on its own bus in-process). */
  AMQP_URL: amqpUrlVariable(),
  /** Prefix of every exchange and queue (overcast); the same as the gateway's. */
  BUS_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/)
    .default('overcast'),
  /** The upload endpoint's port where the service runs on its own (8085); on every address, for the gateway. */
  INSPECTION_UPLOAD_PORT: portVariable(8085),
  INSPECTION_UPLOAD_HOST: z.string().min(1).default('0.0.0.0'),
  /** Health, readiness and metrics (8084). */
  PORT: portVariable(8084),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: logLevelVariable(),
});

const configSchema = environment.transform((env) => ({ ...env, settings: toSettings(env) }));

export type ImageInspectorSettingsEnvironment = {
  [Variable in keyof z.input<typeof settingsVariables>]?: string;
};
export type ImageInspectorConfig = z.output<typeof configSchema>;

export function parseImageInspectorSettings(env: ImageInspectorSettingsEnvironment = {}): ImageInspectorSettings {
  return parseConfig(settingsSchema, env);
}

export function parseImageInspectorConfig(env: NodeJS.ProcessEnv = process.env): ImageInspectorConfig {
  return parseConfig(configSchema, env);
}

export function loadImageInspectorConfigOrExit(options: LoadConfigOptions = {}): ImageInspectorConfig {
  return loadConfigOrExit(configSchema, options);
}

export function loadMigrateConfigOrExit(options: LoadConfigOptions = {}): z.output<typeof migrateEnvironment> {
  return loadConfigOrExit(migrateEnvironment, options);
}

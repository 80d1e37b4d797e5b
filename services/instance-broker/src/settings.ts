import { parseEncryptionKey } from '@overcast/providers';
import type { RetryPolicy } from '@overcast/messaging';
import { defaultInitScriptTemplate } from './domain/init-script';

/** What the service needs to know, whoever builds it (main.ts from the environment, standalone, tests). */
export interface BrokerSettings {
  /** AES-256-GCM key for secrets kept at rest (init-script user data): 64 hex characters or base64 of 32 bytes. */
  secretsKey: string;
  /** Provider of instance builds that name none. */
  defaultProvider: string;
  refreshIntervalMs: number;
  reaperIntervalMs: number;
  /** Provider instances younger than this are never reaped (their row may not be committed yet). */
  reaperGraceMs: number;
  idempotencyTtlMs: number;
  initScriptTtlMs: number;
  initScriptTemplate: string;
  sshSecurityGroupName: string;
  inboxRetentionMs: number;
  /** Retry policy of the broker's work queue (provider calls, notifications). */
  retry: RetryPolicy;
  /** Jobs handled at once per replica. */
  prefetch: number;
  /** Apply this service's migrations at start (a migration lock makes concurrent replicas safe). */
  migrate: boolean;
  /** Lease of the periodic jobs (default 30 s); tests shorten it. */
  jobLeaseMs?: number;
  /** Live instances a tenant without a limit of its own may have. */
  instanceQuotaPerTenant: number;
}

export const defaultBrokerSettings: Omit<BrokerSettings, 'secretsKey' | 'defaultProvider'> = {
  refreshIntervalMs: 5_000, // cloud-brain's CLOUDBRAIN_REFRESH_INTERVAL
  reaperIntervalMs: 60_000,
  reaperGraceMs: 10 * 60_000,
  idempotencyTtlMs: 24 * 60 * 60_000, // what the API promises
  initScriptTtlMs: 24 * 60 * 60_000,
  initScriptTemplate: defaultInitScriptTemplate,
  sshSecurityGroupName: 'overcast-ssh',
  inboxRetentionMs: 7 * 24 * 60 * 60_000,
  retry: { maxAttempts: 8, baseDelayMs: 1_000, maxDelayMs: 60_000 },
  prefetch: 8,
  migrate: true,
  instanceQuotaPerTenant: 100,
};

export type BrokerSettingsInput = Partial<BrokerSettings> & Pick<BrokerSettings, 'secretsKey' | 'defaultProvider'>;

export function resolveBrokerSettings(input: BrokerSettingsInput): BrokerSettings {
  parseEncryptionKey(input.secretsKey, 'secretsKey'); // fails early, naming the setting
  return { ...defaultBrokerSettings, ...input, retry: { ...defaultBrokerSettings.retry, ...input.retry } };
}

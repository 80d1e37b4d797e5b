import type { RetryPolicy } from '@overcast/messaging';
import type { MetaYml } from './domain/instance-yml';

/**
 * What the service needs to know, whoever builds it. Built only by the schema in config.ts (`parseBrokerConfig`
 * for main.ts, `parseBrokerSettings` for standalone and tests), where each default is written.
 */
export interface BrokerSettings {
  /** AES-256-GCM key for secrets kept at rest (init-script user data): 64 hex characters or base64 of 32 bytes. */
  secretsKey: string;
  /** Provider of instance builds that name none; unset: the registry's first (main.ts builds it in PROVIDERS order). */
  defaultProvider?: string;
  refreshIntervalMs: number;
  reaperIntervalMs: number;
  /** Period of the autoscaling groups' sync (adopting and converging the instances the groups launched). */
  autoscalingSyncIntervalMs: number;
  /** Provider instances younger than this are never reaped (their row may not be committed yet). */
  reaperGraceMs: number;
  idempotencyTtlMs: number;
  initScriptTtlMs: number;
  initScriptTemplate: string;
  /** What the template's `env` and `env_for` read: the broker's environment (config.ts); empty when not given. */
  initScriptEnvironment?: Readonly<Record<string, string>>;
  /** pudding's instance key, the template's InstanceRSA (INSTANCE_RSA); unset when the template does not write it. */
  initScriptInstanceRsa?: string;
  /** pudding's meta yml, cut per build into InstanceYML and PapertrailSite (INSTANCE_YML). */
  initScriptMetaYml?: MetaYml;
  sshSecurityGroupName: string;
  inboxRetentionMs: number;
  /** Retry policy of the broker's work queue (provider calls, notifications). */
  retry: RetryPolicy;
  /** Jobs handled at once per replica. */
  prefetch: number;
  /** Lease of the periodic jobs; unset: the job runner's. */
  jobLeaseMs?: number;
  /** Live instances a tenant without a limit of its own may have. */
  instanceQuotaPerTenant: number;
  /** Confirm SNS subscriptions of topics that autoscaling group builds named (SNS_CONFIRMATION). */
  snsConfirmation: boolean;
}

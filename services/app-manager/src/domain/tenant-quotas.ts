import { AppError, type Quota, type QuotaExcess } from '@overcast/contracts';

/** What a tenant may hold at once: its districts and its apps (the instance broker's quotas' shape and refusal). */
export type QuotaName = 'districts' | 'apps';
export type TenantQuotaLimits = Record<QuotaName, number>;

/** The refusal when the tenant has no room for one more: 403 `quota_exceeded`, the quota named, as for instances. */
export function quotaExceeded(excess: QuotaExcess): AppError {
  const { name, limit, used, requested } = excess;
  const message = `${name} quota exceeded: ${used} of ${limit} in use, ${requested} requested`;
  return new AppError('quota_exceeded', message, { details: [{ path: `quota.${name}`, message, quota: excess }] });
}

/** Room for `requested` more beside what is `used`, or the refusal (called under the tenant's quota lock). */
export function checkQuota(usage: Quota, requested: number): void {
  if (usage.used + requested > usage.limit) throw quotaExceeded({ ...usage, requested });
}

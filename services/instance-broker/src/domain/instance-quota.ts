import { AppError, type QuotaExcess } from '@overcast/contracts';
import type { QuotaRepository } from './ports';

/** The refusal when a tenant has no room for `requested` more instances: 403 `quota_exceeded`, the quota named. */
export function instanceQuotaExceeded(excess: QuotaExcess): AppError {
  const { name, limit, used, requested } = excess;
  const message = `${name} quota exceeded: ${used} of ${limit} in use, ${requested} requested`;
  return new AppError('quota_exceeded', message, { details: [{ path: `quota.${name}`, message, quota: excess }] });
}

/**
 * Inside the transaction that then inserts them: room for `requested` more instances of the tenant, taken under
 * the tenant's quota lock (held until the transaction ends), or the refusal, before anything is written and
 * long before any provider call.
 */
export async function takeInstanceQuota(quotas: QuotaRepository, tenantId: string, requested: number): Promise<void> {
  const usage = await quotas.measureInstanceQuota(tenantId);
  if (usage.used + requested > usage.limit) throw instanceQuotaExceeded({ ...usage, requested });
}

import type { QuotaList, TenantScope } from '@overcast/contracts';
import type { BrokerStore } from './ports';

/** The tenant's quotas on the broker's resources and what is in use (`GET /quotas`). */
export function createListQuotas(deps: { store: BrokerStore }) {
  return async function listQuotas(request: TenantScope): Promise<QuotaList> {
    return { quotas: [await deps.store.quotas.measureInstanceQuota(request.tenantId)] };
  };
}

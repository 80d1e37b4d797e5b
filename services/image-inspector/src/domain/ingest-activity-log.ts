import { AppError, type ActivityLogIngestion } from '@overcast/contracts';
import { parseActivityLog, type ActivityLogLimits } from './parse-activity-log';
import type { UsageStore } from './ports';

export interface IngestActivityLog {
  /** A file for one account of the tenant: its records belong to that account, whoever's log it claims to be. */
  (request: { tenantId: string; accountId: number; file: AsyncIterable<Uint8Array> }): Promise<ActivityLogIngestion>;
}

/** Parse the whole file first (refusing it with a reason), then store its events in one transaction. */
export function createIngestActivityLog(deps: { store: UsageStore; limits: ActivityLogLimits }): IngestActivityLog {
  return async ({ tenantId, accountId, file }) => {
    const account = await deps.store.findAccount(tenantId, accountId);
    if (!account) throw new AppError('not_found', 'Not found.');
    const parsed = await parseActivityLog(file, deps.limits);
    const stored = await deps.store.recordActivity(tenantId, accountId, parsed.relevant);
    return { ...stored, records: parsed.records };
  };
}

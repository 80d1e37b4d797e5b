import { AppError, type ActivityLogIngestion } from '@overcast/contracts';
import { readActivityLog, type ActivityLogLimits } from './parse-activity-log';
import type { UsageStore } from './ports';

export interface IngestActivityLog {
  /** A file for one account of the tenant: its records belong to that account, whoever's log it claims to be. */
  (request: { tenantId: string; accountId: number; file: AsyncIterable<Uint8Array> }): Promise<ActivityLogIngestion>;
}

/** The file read and stored as it streams, in one transaction: refused with a reason, it stores nothing. */
export function createIngestActivityLog(deps: { store: UsageStore; limits: ActivityLogLimits }): IngestActivityLog {
  return async ({ tenantId, accountId, file }) => {
    const account = await deps.store.findAccount(tenantId, accountId);
    if (!account) throw new AppError('not_found', 'Not found.');
    const reading = { records: 0, relevant: 0 };
    const stored = await deps.store.recordActivity(tenantId, accountId, readActivityLog(file, deps.limits, reading));
    return { records: reading.records, relevantRecords: reading.relevant, ...stored };
  };
}

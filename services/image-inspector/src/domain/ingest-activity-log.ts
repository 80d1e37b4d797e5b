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
    const reading = { records: 0, relevant: 0 };
    // The account is checked (and locked) in the storing transaction, before a byte of the file is read.
    const stored = await deps.store.recordActivity(tenantId, accountId, readActivityLog(file, deps.limits, reading));
    if (!stored) throw new AppError('not_found', 'Not found.');
    return { records: reading.records, relevantRecords: reading.relevant, ...stored };
  };
}

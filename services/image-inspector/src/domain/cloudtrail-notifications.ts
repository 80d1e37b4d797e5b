import { AppError } from '@overcast/contracts';
import type { RelevantRecord } from './activity-records';
import { parseActivityLog, type ActivityLogLimits } from './parse-activity-log';
import type { UsageStore } from './ports';

/** One SQS notification of new CloudTrail files; `done` deletes it, only once every file is stored. */
export interface CloudTrailNotification {
  files: { name: string; open(): Promise<AsyncIterable<Uint8Array>> }[];
  done(): Promise<void>;
}

/** Where CloudTrail's notifications arrive (SQS → S3); the aws data-access implements it. */
export interface CloudTrailNotifications {
  receive(): Promise<CloudTrailNotification[]>;
}

function byAwsAccount(records: RelevantRecord[]): Map<string, RelevantRecord[]> {
  const grouped = new Map<string, RelevantRecord[]>();
  for (const record of records) {
    if (!record.awsAccountId) continue;
    grouped.set(record.awsAccountId, [...(grouped.get(record.awsAccountId) ?? []), record]);
  }
  return grouped;
}

/**
 * cloudigrade's `analyze_log` (FACTS 4.3): each notified file read and its records stored under the registered
 * account their `userIdentity.accountId` names. A file naming an account nobody registered, or failing to parse,
 * leaves its notification on the queue (retried, then SQS's redrive policy), never half applied: each account's
 * records commit in one transaction and replays add nothing (eventID).
 */
export function createIngestCloudTrailNotifications(deps: {
  notifications: CloudTrailNotifications;
  store: UsageStore;
  limits: ActivityLogLimits;
  logger: { warn(object: object, message?: string): void };
}) {
  return async (): Promise<{ notifications: number; eventsAdded: number }> => {
    let eventsAdded = 0;
    const received = await deps.notifications.receive();
    let handled = 0;
    for (const notification of received) {
      try {
        for (const file of notification.files) {
          const { relevant } = await parseActivityLog(await file.open(), deps.limits);
          for (const [awsAccountId, records] of byAwsAccount(relevant)) {
            const accounts = await deps.store.findAccountsByAwsAccountId(awsAccountId);
            if (accounts.length === 0)
              throw new AppError('not_found', `no registered account has AWS account id ${awsAccountId}`);
            for (const account of accounts)
              eventsAdded +=
                (await deps.store.recordActivity(account.tenantId, account.id, [records]))?.eventsAdded ?? 0;
          }
        }
        await notification.done();
        handled += 1;
      } catch (error) {
        deps.logger.warn({ err: error }, 'a CloudTrail notification stays on the queue');
      }
    }
    return { notifications: handled, eventsAdded };
  };
}

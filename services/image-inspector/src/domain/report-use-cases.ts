import type { AccountOverview, DailyUsageReport, ImageOverview, ReportRequest } from '@overcast/contracts';
import type { Clock, ReportWindow, UsageStore } from './ports';

const dayMs = 24 * 60 * 60 * 1000;

/**
 * cloudigrade's `_generate_daily_periods`: whole days between the midnights (UTC) of start and end, one more when
 * end is past the last of them; each period starts `start + i days` and the last is cut at `end`.
 */
export function dailyPeriodCount(start: Date, end: Date): number {
  const midnight = (at: Date) => Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  let days = Math.round((midnight(end) - midnight(start)) / dayMs);
  if (midnight(start) + days * dayMs < end.getTime()) days += 1;
  return Math.max(days, 0);
}

/** Words of a name pattern: split on spaces, lower-cased, unique (cloudigrade's `_filter_accounts`). */
export function namePatternWords(pattern: string | undefined): string[] {
  return [
    ...new Set(
      (pattern ?? '')
        .split(' ')
        .filter((word) => word.length > 0)
        .map((word) => word.toLowerCase()),
    ),
  ];
}

export interface ReportUseCases {
  dailyUsage(request: ReportRequest): Promise<DailyUsageReport>;
  accountOverviews(request: ReportRequest): Promise<{ cloudAccountOverviews: AccountOverview[] }>;
  imageOverviews(request: ReportRequest & { accountId: number }): Promise<{ images: ImageOverview[] }>;
}

export function createReportUseCases({ store, clock }: { store: UsageStore; clock: Clock }): ReportUseCases {
  /** The accounts a report covers, and its window with `end` truncated to now (nothing ran in the future). */
  async function windowOf(request: ReportRequest) {
    const accounts = await store.filterAccounts(request.tenantId, {
      accountId: request.accountId,
      words: namePatternWords(request.namePattern),
    });
    const now = clock.now();
    const requestedEnd = new Date(request.end);
    const window: ReportWindow = {
      tenantId: request.tenantId,
      accountIds: accounts.map((account) => account.id),
      start: new Date(request.start),
      end: requestedEnd > now ? now : requestedEnd,
    };
    return { accounts, window, requestedEnd };
  }

  return {
    async dailyUsage(request) {
      const { window } = await windowOf(request);
      const days = dailyPeriodCount(window.start, window.end);
      const usage =
        days === 0 || window.accountIds.length === 0
          ? { days: [], rhelInstances: 0, openshiftInstances: 0 }
          : await store.dailyUsage(window, days);
      const dailyUsage = Array.from({ length: days }, (_, day) => {
        const row = usage.days[day];
        return {
          date: new Date(window.start.getTime() + day * dayMs).toISOString(),
          rhelInstances: row?.rhelInstances ?? 0,
          openshiftInstances: row?.openshiftInstances ?? 0,
          rhelRuntimeSeconds: row?.rhelRuntimeSeconds ?? 0,
          openshiftRuntimeSeconds: row?.openshiftRuntimeSeconds ?? 0,
        };
      });
      return {
        dailyUsage,
        instancesSeenWithRhel: usage.rhelInstances,
        instancesSeenWithOpenshift: usage.openshiftInstances,
      };
    },

    async accountOverviews(request) {
      const { accounts, window, requestedEnd } = await windowOf(request);
      const counts = window.accountIds.length === 0 ? [] : await store.accountCounts(window);
      const countsOf = new Map(counts.map((row) => [row.accountId, row]));
      return {
        cloudAccountOverviews: accounts.map((account) => {
          // cloudigrade: no counts for a window that ends before the account existed.
          const known = requestedEnd > new Date(account.createdAt);
          const row = countsOf.get(account.id);
          const count = (value: number | undefined) => (known ? (value ?? 0) : null);
          return {
            id: account.id,
            cloudAccountId: account.awsAccountId,
            type: account.type,
            arn: account.accountArn,
            creationDate: account.createdAt,
            name: account.name,
            images: count(row?.images),
            instances: count(row?.instances),
            rhelInstances: count(row?.rhelInstances),
            openshiftInstances: count(row?.openshiftInstances),
          };
        }),
      };
    },

    async imageOverviews(request) {
      const { window } = await windowOf(request);
      if (window.accountIds.length === 0 || window.end <= window.start) return { images: [] };
      const usage = await store.imageUsage(window);
      return {
        images: usage.map(({ image, instancesSeen, runtimeSeconds }) => ({
          id: image.id,
          cloudImageId: image.cloudImageId,
          name: image.name,
          status: image.status,
          isEncrypted: image.isEncrypted,
          rhel: image.rhel,
          rhelDetected: image.rhelDetected,
          rhelChallenged: image.rhelChallenged,
          openshift: image.openshift,
          openshiftDetected: image.openshiftDetected,
          openshiftChallenged: image.openshiftChallenged,
          instancesSeen,
          runtimeSeconds,
        })),
      };
    },
  };
}

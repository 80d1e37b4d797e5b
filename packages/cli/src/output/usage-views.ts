import type { CloudAccount, DailyUsageReport, MachineImage } from '@overcast/sdk';
import type { Column } from './format';
import { formatTable } from './format';

export const cloudAccountColumns: Column<CloudAccount>[] = [
  { header: 'ID', value: (account) => account.id },
  { header: 'TYPE', value: (account) => account.resourcetype },
  { header: 'NAME', value: (account) => account.name },
  { header: 'AWS ACCOUNT', value: (account) => account.aws_account_id },
  { header: 'ARN', value: (account) => account.account_arn },
  { header: 'CREATED', value: (account) => account.created_at },
];

export const machineImageColumns: Column<MachineImage>[] = [
  { header: 'ID', value: (image) => image.id },
  { header: 'IMAGE', value: (image) => image.ec2_ami_id },
  { header: 'STATUS', value: (image) => image.status },
  { header: 'RHEL', value: (image) => (image.rhel_challenged ? `${image.rhel} (challenged)` : image.rhel) },
  {
    header: 'OPENSHIFT',
    value: (image) => (image.openshift_challenged ? `${image.openshift} (challenged)` : image.openshift),
  },
  // Why it is not inspected (needs_upload, what a pending image waits for) or why its last try failed.
  { header: 'REASON', value: (image) => image.status_reason ?? image.inspection_error ?? '' },
];

type Day = DailyUsageReport['daily_usage'][number];
const hours = (seconds: number) => Math.round((seconds / 3600) * 100) / 100;
const dailyHeaders = ['DATE', 'RHEL INSTANCES', 'RHEL HOURS', 'OPENSHIFT INSTANCES', 'OPENSHIFT HOURS'];

/** The daily report as a table ending in a totals line: instances per day, runtime in hours. */
export function formatDailyUsage(report: DailyUsageReport): string {
  const sum = (pick: (day: Day) => number) => report.daily_usage.reduce((total, day) => total + pick(day), 0);
  const rows: unknown[][] = report.daily_usage.map((day) => [
    day.date.slice(0, 10),
    day.rhel_instances,
    hours(day.rhel_runtime_seconds),
    day.openshift_instances,
    hours(day.openshift_runtime_seconds),
  ]);
  rows.push([
    'TOTAL',
    `${report.instances_seen_with_rhel} seen`,
    hours(sum((day) => day.rhel_runtime_seconds)),
    `${report.instances_seen_with_openshift} seen`,
    hours(sum((day) => day.openshift_runtime_seconds)),
  ]);
  const columns: Column<unknown[]>[] = dailyHeaders.map((header, index) => ({ header, value: (row) => row[index] }));
  return formatTable(columns, rows);
}

/** The daily report as CSV (seconds, as the API gives them), one line a day. */
export function formatDailyUsageCsv(report: DailyUsageReport): string {
  const lines = report.daily_usage.map((day) =>
    [
      day.date,
      day.rhel_instances,
      day.rhel_runtime_seconds,
      day.openshift_instances,
      day.openshift_runtime_seconds,
    ].join(','),
  );
  return (
    ['date,rhel_instances,rhel_runtime_seconds,openshift_instances,openshift_runtime_seconds', ...lines].join('\n') +
    '\n'
  );
}

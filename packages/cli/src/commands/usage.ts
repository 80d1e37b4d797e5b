import type { Command } from 'commander';
import { Option } from 'commander';
import type { CliIo } from '../cli-io';
import { withExamples } from '../help-examples';
import { formatDetails, formatTable } from '../output/format';
import { formatDailyUsage, formatDailyUsageCsv, machineImageColumns } from '../output/usage-views';
import { runWithContext } from './run-with-context';

const positiveInteger = (value: string) => {
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id < 1) throw new Error(`expected a positive integer, not ${JSON.stringify(value)}`);
  return id;
};

/** A report bound as the API takes it (an ISO 8601 date-time); a bare date is that day's midnight UTC. */
const instant = (value: string) => {
  const dateTime = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  if (Number.isNaN(Date.parse(dateTime)))
    throw new Error(`expected an ISO 8601 date or date-time, not ${JSON.stringify(value)}`);
  return dateTime;
};

interface ReportFlags {
  start: string;
  end: string;
  account?: number;
  namePattern?: string;
  format: 'table' | 'json' | 'csv';
}

/**
 * Usage reports and the machine images the tracked instances ran (`overcast usage images`, since `overcast images`
 * is the instance broker's boot image catalog).
 */
export function registerUsageCommands(program: Command, io: CliIo): void {
  const usage = withExamples(
    program.command('usage').description('RHEL and OpenShift usage of the instances your cloud accounts ran'),
    'overcast usage report --start 2026-11-01 --end 2026-12-01',
  );

  withExamples(
    usage
      .command('report')
      .description('daily usage over [start, end): instances and runtime with RHEL and with OpenShift, with totals')
      .requiredOption('--start <time>', 'inclusive, ISO 8601 (a date is midnight UTC)', instant)
      .requiredOption('--end <time>', 'exclusive, ISO 8601 (a date is midnight UTC)', instant)
      .option('--account <id>', 'one account only', positiveInteger)
      .option('--name-pattern <words>', 'accounts whose name contains any of these words')
      .addOption(new Option('--format <format>', 'how to print it').choices(['table', 'json', 'csv']).default('table')),
    'overcast usage report --start 2026-11-01 --end 2026-12-01',
    'overcast usage report --start 2026-11-01 --end 2026-11-08 --account 3 --format csv',
  ).action(
    runWithContext(io, async (context, flags: ReportFlags) => {
      const report = await context.client().usage.dailyUsage({
        start: flags.start,
        end: flags.end,
        accountId: flags.account,
        namePattern: flags.namePattern,
      });
      if (flags.format === 'json' || context.json)
        return context.print(report, () => `${JSON.stringify(report, null, 2)}\n`);
      io.stdout(flags.format === 'csv' ? formatDailyUsageCsv(report) : formatDailyUsage(report));
    }),
  );

  const images = withExamples(
    usage.command('images').description('machine images the tracked instances ran, and what inspection found'),
    'overcast usage images list',
  );

  withExamples(images.command('list').description('list machine images'), 'overcast usage images list').action(
    runWithContext(io, async (context) => {
      const page = await context.client().usage.listImages({ limit: 1000 });
      await context.print(page, () => formatTable(machineImageColumns, page.results));
    }),
  );

  withExamples(
    images.command('get').description('show a machine image').argument('<id>', 'image id', positiveInteger),
    'overcast usage images get 4',
  ).action(
    runWithContext(io, async (context, id: number) => {
      const image = await context.client().usage.getImage(id);
      await context.print(image, () => formatDetails(Object.entries(image)));
    }),
  );

  withExamples(
    images
      .command('challenge')
      .description('challenge what inspection found (RHEL or OpenShift): the verdict flips while challenged')
      .argument('<id>', 'image id', positiveInteger)
      .addOption(new Option('--rhel <challenged>', 'challenge RHEL').choices(['true', 'false']))
      .addOption(new Option('--openshift <challenged>', 'challenge OpenShift').choices(['true', 'false'])),
    'overcast usage images challenge 4 --rhel true',
  ).action(
    runWithContext(
      io,
      async (context, id: number, flags: { rhel?: 'true' | 'false'; openshift?: 'true' | 'false' }) => {
        const image = await context.client().usage.challengeImage(id, {
          rhel: flags.rhel === undefined ? undefined : flags.rhel === 'true',
          openshift: flags.openshift === undefined ? undefined : flags.openshift === 'true',
        });
        await context.print(image, () => formatTable(machineImageColumns, [image]));
      },
    ),
  );
}

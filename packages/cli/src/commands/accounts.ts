import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { ActivityLogIngestion } from '@overcast/sdk';
import type { CliIo } from '../cli-io';
import { withExamples } from '../help-examples';
import { formatDetails, formatTable } from '../output/format';
import { cloudAccountColumns } from '../output/usage-views';
import { runWithContext } from './run-with-context';

const accountId = (value: string) => {
  const id = Number(value);
  if (!Number.isSafeInteger(id) || id < 1)
    throw new Error(`an account id is a positive integer, not ${JSON.stringify(value)}`);
  return id;
};

/** cloudigrade's cloud accounts: register (local or AWS by role ARN), list, show, rename, upload CloudTrail files. */
export function registerAccountCommands(program: Command, io: CliIo): void {
  const accounts = withExamples(
    program.command('accounts').description('cloud accounts whose instances Overcast follows for usage reports'),
    'overcast accounts list',
  );

  withExamples(
    accounts
      .command('create')
      .description('register a cloud account: local (no cloud; upload its CloudTrail files) or AWS by role ARN')
      .option('--name <name>', 'its name (unique among yours)')
      .option('--arn <role-arn>', 'an AWS role Overcast may assume: registers an AwsAccount')
      .addOption(new Option('--type <type>', 'the kind of account').choices(['local', 'aws']).default('local')),
    'overcast accounts create --name lab',
    'overcast accounts create --type aws --arn arn:aws:iam::123456789012:role/cloudigrade --name production',
  ).action(
    runWithContext(io, async (context, flags: { name?: string; arn?: string; type: 'local' | 'aws' }) => {
      const account = await context.client().usage.createAccount({
        type: flags.type === 'aws' || flags.arn ? 'AwsAccount' : 'LocalAccount',
        accountArn: flags.arn,
        name: flags.name,
      });
      await context.print(account, () => formatTable(cloudAccountColumns, [account]));
    }),
  );

  withExamples(
    accounts
      .command('list')
      .description('list cloud accounts')
      .option('--limit <n>', 'how many (10)', Number)
      .option('--offset <n>', 'skip this many', Number),
    'overcast accounts list',
  ).action(
    runWithContext(io, async (context, flags: { limit?: number; offset?: number }) => {
      const page = await context.client().usage.listAccounts({ limit: flags.limit, offset: flags.offset });
      await context.print(page, () => formatTable(cloudAccountColumns, page.results));
    }),
  );

  withExamples(
    accounts.command('get').description('show a cloud account').argument('<id>', 'account id', accountId),
    'overcast accounts get 1',
  ).action(
    runWithContext(io, async (context, id: number) => {
      const account = await context.client().usage.getAccount(id);
      await context.print(account, () => formatDetails(Object.entries(account)));
    }),
  );

  withExamples(
    accounts
      .command('rename')
      .description('rename a cloud account (its ARN never changes)')
      .argument('<id>', 'account id', accountId)
      .argument('<name>', 'its new name'),
    'overcast accounts rename 1 staging',
  ).action(
    runWithContext(io, async (context, id: number, name: string) => {
      const account = await context.client().usage.renameAccount(id, name);
      await context.print(account, () => formatTable(cloudAccountColumns, [account]));
    }),
  );

  withExamples(
    accounts
      .command('upload-logs')
      .description('upload CloudTrail files (gzip or JSON) for an account; a file sent again adds nothing')
      .argument('<id>', 'account id', accountId)
      .argument('<files...>', 'CloudTrail files'),
    'overcast accounts upload-logs 1 AWSLogs/*.json.gz',
  ).action(
    runWithContext(io, async (context, id: number, files: string[]) => {
      const results: ({ file: string } & ActivityLogIngestion)[] = [];
      for (const file of files) {
        const result = await context.client().usage.uploadActivityLog(id, readFileSync(file));
        results.push({ file, ...result });
      }
      await context.print({ files: results }, () =>
        formatTable(
          [
            { header: 'FILE', value: (row: (typeof results)[number]) => row.file },
            { header: 'RECORDS', value: (row) => row.records },
            { header: 'RELEVANT', value: (row) => row.relevant_records },
            { header: 'EVENTS ADDED', value: (row) => row.events_added },
          ],
          results,
        ),
      );
    }),
  );
}

import type { Command } from 'commander';
import type { CliIo } from '../cli-io';
import { withExamples } from '../help-examples';
import { formatTable } from '../output/format';
import { quotaFields } from '../output/json-fields';
import { quotaColumns } from '../output/views';
import { runWithContext } from './run-with-context';

export function registerQuotaCommands(program: Command, io: CliIo): void {
  withExamples(
    program.command('quotas').description("show your tenant's quotas: each limit and how much of it is in use"),
    'overcast quotas',
    'overcast quotas --json name,used,limit --jq \'.[] | "\\(.name): \\(.limit - .used) left"\'',
  ).action(
    runWithContext(io, async (context) => {
      const quotas = await context.client().quotas();
      await context.print({ quotas }, () => formatTable(quotaColumns, quotas), { fields: quotaFields, list: quotas });
    }),
  );
}

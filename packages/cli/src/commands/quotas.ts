import type { Command } from 'commander';
import type { CliIo } from '../cli-io';
import { formatTable } from '../output/format';
import { quotaColumns } from '../output/views';
import { runWithContext } from './run-with-context';

export function registerQuotaCommands(program: Command, io: CliIo): void {
  program
    .command('quotas')
    .description("show your tenant's quotas: each limit and how much of it is in use")
    .action(
      runWithContext(io, async (context) => {
        const quotas = await context.client().quotas();
        context.print({ quotas }, () => formatTable(quotaColumns, quotas));
      }),
    );
}

import type { Command } from 'commander';
import { Option } from 'commander';
import type { Role } from '@overcast/sdk';
import type { CliIo } from '../cli-io';
import { formatTable } from '../output/format';
import { tokenColumns } from '../output/views';
import { runWithContext } from './run-with-context';

export function registerTokenCommands(program: Command, io: CliIo): void {
  const tokens = program.command('tokens').description('API tokens');

  tokens
    .command('create')
    .description('create an API token (admin); its secret is shown once')
    .argument('<description>', 'what the token is for')
    .addOption(new Option('--role <role>', 'what it may do').choices(['admin', 'developer']).default('developer'))
    .action(
      runWithContext(io, async (context, description: string, flags: { role: Role }) => {
        const created = await context.client().tokens.create({ description, role: flags.role });
        context.print(created, () => `${created.token}\n`);
        if (!context.json)
          context.note(`token ${created.id} (${created.role}) created; this is the only time its secret is shown`);
      }),
    );

  tokens
    .command('list')
    .description('list API tokens (never their secrets)')
    .action(
      runWithContext(io, async (context) => {
        const list = await context.client().tokens.list();
        context.print({ tokens: list }, () => formatTable(tokenColumns, list));
      }),
    );

  tokens
    .command('revoke')
    .description('revoke an API token (admin, or the token itself)')
    .argument('<id>', 'token id (the part before the dash)')
    .action(
      runWithContext(io, async (context, id: string) => {
        await context.client().tokens.revoke(id);
        context.print({ revoked: id }, () => `token ${id} revoked\n`);
      }),
    );
}

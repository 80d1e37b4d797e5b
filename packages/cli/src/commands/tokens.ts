import type { Command } from 'commander';
import { Option } from 'commander';
import type { Role } from '@overcast/sdk';
import type { CliIo } from '../cli-io';
import { withExamples } from '../help-examples';
import { formatTable } from '../output/format';
import { createdTokenFields, tokenFields } from '../output/json-fields';
import { tokenColumns } from '../output/views';
import { runWithContext } from './run-with-context';

export function registerTokenCommands(program: Command, io: CliIo): void {
  const tokens = withExamples(program.command('tokens').description('API tokens'), 'overcast tokens list');

  withExamples(
    tokens
      .command('create')
      .description('create an API token (admin); its secret is shown once')
      .argument('<description>', 'what the token is for')
      .addOption(new Option('--role <role>', 'what it may do').choices(['admin', 'developer']).default('developer')),
    "overcast tokens create 'deploy bot'",
    "overcast tokens create 'ci' --role developer --json token --jq .token",
  ).action(
    runWithContext(io, async (context, description: string, flags: { role: Role }) => {
      const created = await context.client().tokens.create({ description, role: flags.role });
      await context.print(created, () => `${created.token}\n`, { fields: createdTokenFields });
      if (!context.json)
        context.note(`token ${created.id} (${created.role}) created; this is the only time its secret is shown`);
    }),
  );

  withExamples(
    tokens.command('list').description('list API tokens (never their secrets)'),
    'overcast tokens list',
    'overcast tokens list --json id,description',
  ).action(
    runWithContext(io, async (context) => {
      const list = await context.client().tokens.list();
      await context.print({ tokens: list }, () => formatTable(tokenColumns, list), { fields: tokenFields, list });
    }),
  );

  withExamples(
    tokens
      .command('revoke')
      .description('revoke an API token (admin, or the token itself)')
      .argument('<id>', 'token id (the part before the dash)'),
    'overcast tokens revoke 12',
  ).action(
    runWithContext(io, async (context, id: string) => {
      await context.client().tokens.revoke(id);
      await context.print({ revoked: id }, () => `token ${id} revoked\n`);
    }),
  );
}

import { Roles } from '@overcast/contracts';
import { parseArgs } from 'node:util';
import type { GatewayAdmin } from './gateway-admin';

export const adminUsage = `usage:
  overcast-admin create-token "<description>" [--role admin|developer] [--tenant <name>]
  overcast-admin list-tokens [--tenant <name>]
  overcast-admin revoke-token <id>`;

/** A usage mistake: printed with the usage, exit code 2. */
export class UsageError extends Error {}

/** Runs one command; `print` receives what the operator sees. Kept apart from main.ts so tests drive it. */
export async function runAdminCommand(
  argv: string[],
  admin: GatewayAdmin,
  print: (line: string) => void,
): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { role: { type: 'string' }, tenant: { type: 'string' } },
  });
  const [command, ...rest] = positionals;
  switch (command) {
    case 'create-token': {
      const description = rest.join(' ').trim();
      if (!description) throw new UsageError('create-token needs a description');
      const role = Roles.safeParse(values.role ?? 'developer');
      if (!role.success) throw new UsageError('--role must be admin or developer');
      const created = await admin.createToken({ description, role: role.data, tenantName: values.tenant });
      // The exact line cloudbrain-create-token printed; scripts grep for it. The secret is never shown again.
      print(`generated token: ${created.token}`);
      return;
    }
    case 'list-tokens': {
      for (const token of await admin.listTokens(values.tenant)) {
        print(`${token.id}\t${token.role}\t${token.createdAt.toISOString()}\t${token.description}`);
      }
      return;
    }
    case 'revoke-token': {
      const id = Number(rest[0]);
      if (!Number.isInteger(id) || id < 1) throw new UsageError('revoke-token needs a numeric token id');
      await admin.revokeToken(id);
      print(`revoked token ${id}`);
      return;
    }
    default:
      throw new UsageError(command ? `unknown command: ${command}` : 'no command given');
  }
}

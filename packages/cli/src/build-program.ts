import { Command } from 'commander';
import type { CliIo } from './cli-io';
import { registerBuildCommands } from './commands/builds';
import { registerImageCommands } from './commands/images';
import { registerInstanceCommands } from './commands/instances';
import { registerQuotaCommands } from './commands/quotas';
import { registerSessionCommands } from './commands/session';
import { registerTokenCommands } from './commands/tokens';

export function buildProgram(io: CliIo): Command {
  const program = new Command('overcast')
    .description('Overcast: one control plane over many clouds')
    .version('0.1.0')
    .option('--url <url>', 'API URL (env OVERCAST_URL, else the config file, else http://127.0.0.1:8080)')
    .option('--token <token>', 'API token (env OVERCAST_TOKEN, else the config file)')
    .option('--json', 'print JSON for scripts instead of tables')
    .addHelpText(
      'after',
      '\nConfiguration: flags win over OVERCAST_URL/OVERCAST_TOKEN, which win over the config file\n' +
        '(~/.config/overcast/config.json, or OVERCAST_CONFIG).\n' +
        'Exit codes: 0 ok, 1 API or runtime error, 2 usage error, 3 authentication error.',
    )
    // Settings every subcommand inherits: no process.exit, output through io, help hint on mistakes.
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout(text), writeErr: (text) => io.stderr(text) })
    .showHelpAfterError('(add --help for usage)');

  registerSessionCommands(program, io);
  registerTokenCommands(program, io);
  registerInstanceCommands(program, io);
  registerBuildCommands(program, io);
  registerImageCommands(program, io);
  registerQuotaCommands(program, io);
  return program;
}

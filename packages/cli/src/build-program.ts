import { Command } from 'commander';
import type { CliIo } from './cli-io';
import { registerAccountCommands } from './commands/accounts';
import { registerApiCommand } from './commands/api';
import { registerAuthCommands } from './commands/auth';
import { registerAutoscalingGroupCommands } from './commands/autoscaling-groups';
import { registerBuildCommands } from './commands/builds';
import { registerCompletionCommand } from './commands/completion';
import { registerConfigCommands } from './commands/config';
import { registerAppCommands } from './commands/apps';
import { registerDatacenterCommands } from './commands/datacenters';
import { registerDistrictCommands } from './commands/districts';
import { registerDeploymentCommands } from './commands/deployments';
import { registerImageCommands } from './commands/images';
import { registerInstanceCommands } from './commands/instances';
import { registerQuotaCommands } from './commands/quotas';
import { registerRegisterCommand } from './commands/register';
import { registerStatusCommand } from './commands/session';
import { registerTokenCommands } from './commands/tokens';
import { registerUsageCommands } from './commands/usage';
import { registerVersionCommand } from './commands/version';
import { withExamples } from './help-examples';
import { reportMissingFlagsTogether } from './required-flags';
import { cliVersion } from './version';

export function buildProgram(io: CliIo): Command {
  const program = new Command('overcast')
    .description('Overcast: one control plane over many clouds')
    .version(cliVersion)
    .option('--url <url>', 'API URL (env OVERCAST_URL, else the config file, else http://127.0.0.1:8080)')
    .option('--token <token>', 'API token (env OVERCAST_TOKEN, else the config file)')
    .option('--json [fields]', 'print JSON for scripts: everything, or only these comma-separated fields')
    .option('--jq <expression>', 'filter the --json output with a jq expression')
    .addHelpText(
      'after',
      '\nConfiguration: flags win over OVERCAST_URL/OVERCAST_TOKEN, which win over the config file\n' +
        '(~/.config/overcast/config.yml, or under $XDG_CONFIG_HOME or $OVERCAST_CONFIG_DIR).\n' +
        'Exit codes: 0 ok, 1 API or runtime error, 2 usage error, 3 authentication error.',
    )
    // Settings every subcommand inherits: no process.exit, output through io, help hint on mistakes.
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout(text), writeErr: (text) => io.stderr(text) })
    .showHelpAfterError('(add --help for usage)');
  withExamples(
    program,
    'overcast auth login --with-token < token.txt',
    'overcast instances create --provider local --image debian-local --wait',
    'overcast instances list --json id,state --jq \'.[] | select(.state == "running") | .id\'',
  );

  registerAuthCommands(program, io);
  registerStatusCommand(program, io);
  registerTokenCommands(program, io);
  registerInstanceCommands(program, io);
  registerBuildCommands(program, io);
  registerAutoscalingGroupCommands(program, io);
  registerImageCommands(program, io);
  registerAccountCommands(program, io);
  registerUsageCommands(program, io);
  registerQuotaCommands(program, io);
  registerDeploymentCommands(program, io);
  registerDatacenterCommands(program, io);
  registerDistrictCommands(program, io);
  registerAppCommands(program, io);
  registerRegisterCommand(program, io);
  registerConfigCommands(program, io);
  registerApiCommand(program, io);
  registerVersionCommand(program, io);
  registerCompletionCommand(program, io);
  reportMissingFlagsTogether(program);
  // Subcommands inherit exitOverride and output settings only when made after them; these came later.
  for (const command of program.commands) copySettingsDeep(program, command);
  return program;
}

function copySettingsDeep(program: Command, command: Command): void {
  command.copyInheritedSettings(program);
  for (const child of command.commands) copySettingsDeep(program, child);
}

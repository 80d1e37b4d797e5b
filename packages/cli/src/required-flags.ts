import type { Command } from 'commander';
import { UsageError } from './cli-io';

/**
 * Commander stops at the first missing required option; a user then fixes one flag per run. This takes over
 * the check for every command below `program`: the options stay declared with `requiredOption` (so help
 * and intent are unchanged), and one error names all that are missing.
 */
export function reportMissingFlagsTogether(program: Command): void {
  for (const command of allCommands(program)) {
    const required = command.options.filter((option) => option.mandatory);
    if (required.length === 0) continue;
    for (const option of required) option.mandatory = false;
    command.hook('preAction', (_program, actionCommand) => {
      const missing = required.filter((option) => actionCommand.getOptionValue(option.attributeName()) === undefined);
      if (missing.length === 0) return;
      const names = missing.map((option) => option.flags).join(', ');
      throw new UsageError(`missing required flag${missing.length > 1 ? 's' : ''}: ${names}`);
    });
  }
}

export function allCommands(root: Command): Command[] {
  return [root, ...root.commands.flatMap((command) => allCommands(command))];
}

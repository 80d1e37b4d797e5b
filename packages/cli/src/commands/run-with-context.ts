import type { Command } from 'commander';
import type { CliIo } from '../cli-io';
import type { CommandContext } from '../command-context';
import { createCommandContext } from '../command-context';

/**
 * Adapts a handler to commander's action signature `(...arguments, options, command)`: the handler
 * gets the resolved context first, then the positional arguments and the command's own options.
 */
export function runWithContext<Args extends unknown[]>(
  io: CliIo,
  handler: (context: CommandContext, ...args: Args) => Promise<void>,
): (...actionArgs: unknown[]) => Promise<void> {
  return async (...actionArgs) => {
    const command = actionArgs.at(-1) as Command;
    await handler(createCommandContext(command, io), ...(actionArgs.slice(0, -1) as Args));
  };
}

import type { Command } from 'commander';

/** gh's habit: every command's help ends with runnable examples. */
export function withExamples(command: Command, ...examples: string[]): Command {
  return command.addHelpText('after', `\nExamples:\n${examples.map((example) => `  $ ${example}`).join('\n')}\n`);
}

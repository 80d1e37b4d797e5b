import type { Command, Option } from 'commander';

/** One command as completion needs it: its path from the program, what may follow it. */
export interface CompletionNode {
  path: string[];
  subcommands: string[];
  /** Words its first argument may be (`completion bash`). */
  argumentChoices: string[];
  flags: string[];
  /** Flags whose value is one of a few words (`--state running`). */
  choices: Record<string, string[]>;
}

function flagsOf(options: readonly Option[]): string[] {
  return options.flatMap((option) => [option.long, option.short].filter((flag): flag is string => Boolean(flag)));
}

/**
 * The program's command tree as commander's own help sees it (visible commands and options, through the public
 * Help API), so completion offers exactly what `--help` shows. Program-wide flags are offered everywhere.
 */
export function completionTree(program: Command): CompletionNode[] {
  const help = program.createHelp();
  const globalOptions = help.visibleOptions(program);
  const nodes: CompletionNode[] = [];
  const visit = (command: Command, path: string[]) => {
    const subcommands = help.visibleCommands(command).filter((child) => child.name() !== 'help');
    const options = command === program ? globalOptions : [...help.visibleOptions(command), ...globalOptions];
    const choices: Record<string, string[]> = {};
    for (const option of options) if (option.long && option.argChoices) choices[option.long] = option.argChoices;
    nodes.push({
      path,
      subcommands: subcommands.flatMap((child) => [child.name(), ...child.aliases()]),
      argumentChoices: command.registeredArguments[0]?.argChoices ?? [],
      flags: [...new Set(flagsOf(options))].filter((flag) => flag !== '-V' && flag !== '--version'),
      choices,
    });
    for (const child of subcommands) visit(child, [...path, child.name()]);
  };
  visit(program, []);
  return nodes;
}

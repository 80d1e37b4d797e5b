import type { Command } from 'commander';
import { Argument } from 'commander';
import type { CliIo } from '../cli-io';
import { completionTree } from '../completion/command-tree';
import { bashCompletion, fishCompletion, zshCompletion } from '../completion/shell-scripts';
import { withExamples } from '../help-examples';

const generators = { bash: bashCompletion, zsh: zshCompletion, fish: fishCompletion } as const;

export function registerCompletionCommand(program: Command, io: CliIo): void {
  withExamples(
    program
      .command('completion')
      .description('print a shell completion script for bash, zsh or fish')
      .addArgument(new Argument('<shell>', 'the shell').choices(Object.keys(generators))),
    'eval "$(overcast completion bash)"      # in ~/.bashrc',
    'eval "$(overcast completion zsh)"       # in ~/.zshrc',
    'overcast completion fish > ~/.config/fish/completions/overcast.fish',
  ).action((shell: keyof typeof generators) => {
    io.stdout(generators[shell](completionTree(program)));
  });
}

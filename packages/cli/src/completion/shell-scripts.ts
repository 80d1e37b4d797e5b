import type { CompletionNode } from './command-tree';

/**
 * Completion scripts generated from the command tree when asked, not answered by the CLI at every Tab (as
 * cobra's and @bomb.sh/tab's are): each Tab then costs no Node start-up and TypeScript compile, which for this
 * workspace-run CLI is most of a second.
 */
const quote = (words: string[]) => words.join(' ');

export function bashCompletion(nodes: CompletionNode[]): string {
  const paths = nodes.filter((node) => node.path.length > 0).map((node) => `" ${node.path.join(' ')}"`);
  const cases = nodes.map((node) => {
    const choiceCases = Object.entries(node.choices)
      .map(([flag, words]) => `        ${flag}) COMPREPLY=($(compgen -W "${quote(words)}" -- "$cur")); return ;;`)
      .join('\n');
    return [
      `    "${node.path.length > 0 ? ` ${node.path.join(' ')}` : ''}")`,
      ...(choiceCases ? ['      case "$prev" in', choiceCases, '      esac'] : []),
      `      COMPREPLY=($(compgen -W "${quote([...node.subcommands, ...node.argumentChoices, ...node.flags])}" -- "$cur")) ;;`,
    ].join('\n');
  });
  return `# overcast completion for bash: eval "$(overcast completion bash)", e.g. in ~/.bashrc
_overcast() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" path="" i
  # The command path so far: only words that extend a known path count (flags and their values do not).
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "$path \${COMP_WORDS[i]}" in
      ${paths.join('|')}) path="$path \${COMP_WORDS[i]}" ;;
    esac
  done
  case "$path" in
${cases.join('\n')}
  esac
}
complete -F _overcast overcast
`;
}

/** zsh runs the bash function through its own bashcompinit, the documented bridge. */
export function zshCompletion(nodes: CompletionNode[]): string {
  return `#compdef overcast
# overcast completion for zsh: eval "$(overcast completion zsh)", e.g. in ~/.zshrc
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(nodes).split('\n').slice(1).join('\n')}`;
}

export function fishCompletion(nodes: CompletionNode[]): string {
  const lines = ['# overcast completion for fish: overcast completion fish > ~/.config/fish/completions/overcast.fish'];
  lines.push('complete -c overcast -f');
  const commandNames = new Set(nodes.flatMap((node) => node.subcommands));
  for (const node of nodes) {
    // "At this path": every word of it seen, and no subcommand of it yet.
    const seen = node.path.map((word) => `__fish_seen_subcommand_from ${word}`);
    const notFurther =
      node.subcommands.length > 0 ? [`not __fish_seen_subcommand_from ${node.subcommands.join(' ')}`] : [];
    const atRoot = node.path.length === 0 ? [`not __fish_seen_subcommand_from ${[...commandNames].join(' ')}`] : [];
    const condition = [...seen, ...notFurther, ...atRoot].join('; and ');
    const words = [...node.subcommands, ...node.argumentChoices];
    if (words.length > 0) lines.push(`complete -c overcast -n '${condition}' -a '${words.join(' ')}'`);
    for (const flag of node.flags.filter((candidate) => candidate.startsWith('--'))) {
      const choices = node.choices[flag];
      lines.push(
        `complete -c overcast -n '${condition}' -l ${flag.slice(2)}${choices ? ` -r -a '${choices.join(' ')}'` : ''}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

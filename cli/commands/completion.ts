/** `osm-fleet completion bash`: a bash completion script generated from the command tree. */
import type { Command, Option } from 'commander';
import { UsageError } from '../errors.js';

interface Node {
  path: string;
  cmd: Command;
}

/** Every command path (`''`, `policy`, `policy apply`, ...). */
function walk(cmd: Command, prefix: string[] = []): Node[] {
  return [{ path: prefix.join(' '), cmd }, ...cmd.commands.flatMap((c) => walk(c, [...prefix, c.name()]))];
}

const flags = (options: readonly Option[]) =>
  options.flatMap((o) => [o.long, o.short]).filter((x): x is string => !!x);

export function bashScript(program: Command): string {
  const nodes = walk(program);
  const globals = flags(program.options);
  const valued = new Set(nodes.flatMap((n) => flags(n.cmd.options.filter((o) => o.required || o.optional))));
  const cases = nodes.map((n) => {
    const words = new Set([
      ...n.cmd.commands.map((c) => c.name()),
      ...flags(n.cmd.options),
      ...globals,
      '--help',
    ]);
    return `    "${n.path}") words="${[...words].join(' ')}" ;;`;
  });
  const name = program.name();
  const fn = `_${name.replace(/[^A-Za-z0-9_]/g, '_')}_complete`;
  return `# bash completion for ${name}; load it with: source <(${name} completion bash)
${fn}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" path="" next="" words="" w i skip=0
  local paths="${nodes.map((n) => `|${n.path}|`).join('')}"
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    if ((skip)); then skip=0; continue; fi
    case "$w" in
      ${[...valued].join('|')}) skip=1 ;;
      -*) ;;
      *) next="\${path:+$path }$w"; [[ "$paths" == *"|$next|"* ]] && path="$next" ;;
    esac
  done
  case "$path" in
${cases.join('\n')}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F ${fn} ${name}
`;
}

export function registerCompletion(program: Command): void {
  program
    .command('completion')
    .description('print a shell completion script (bash; zsh through bashcompinit)')
    .argument('[shell]', 'bash or zsh', 'bash')
    .action((shell: string) => {
      if (shell !== 'bash' && shell !== 'zsh')
        throw new UsageError(`completion: bash or zsh, not "${shell}"`);
      const pre = shell === 'zsh' ? 'autoload -U +X bashcompinit && bashcompinit\n' : '';
      process.stdout.write(pre + bashScript(program));
    });
}

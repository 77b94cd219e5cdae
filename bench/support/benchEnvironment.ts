/** What decides a bench figure besides the code: the commit, the CPU and the load (issue 17). */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';

export function benchEnvironment(): string {
  const git = (...args: string[]) => {
    try {
      return execFileSync('git', args, { encoding: 'utf8' }).trim();
    } catch {
      return '';
    }
  };
  const commit = git('rev-parse', '--short', 'HEAD') || 'unknown';
  const dirty = git('status', '--porcelain', '--untracked-files=no') ? ' + uncommitted changes' : '';
  const model = cpus()[0]?.model ?? 'unknown CPU';
  return (
    `commit ${commit}${dirty}; CPU ${model} x ${cpus().length}; ${process.version}; ` +
    `load (1-min) before ${loadavg()[0]!.toFixed(2)}`
  );
}

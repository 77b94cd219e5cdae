import { ValidationError } from './errors.js';

interface Issue {
  path: readonly PropertyKey[];
  message: string;
  code?: string;
  keys?: readonly string[];
}

/** Renders a path as users write it: `rollout.waves[1].maxParallel`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => {
    if (typeof part === 'number') return `${out}[${part}]`;
    const name = String(part);
    return out ? `${out}.${name}` : name;
  }, '');
}

/** Turns schema issues into one ValidationError whose message and details name each field. */
export function zodToValidationError(issues: readonly Issue[], code = 'InvalidPolicy'): ValidationError {
  const details = issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys' && issue.keys) {
      return issue.keys.map((k) => ({
        path: formatPath([...issue.path, k]),
        message: 'is not a known field',
      }));
    }
    return [{ path: formatPath(issue.path) || '(body)', message: issue.message }];
  });
  const first = details[0];
  const summary = first ? `${first.path}: ${first.message}` : 'invalid input';
  const more =
    details.length > 1 ? ` (and ${details.length - 1} more problem${details.length > 2 ? 's' : ''})` : '';
  return new ValidationError(summary + more, details, code);
}

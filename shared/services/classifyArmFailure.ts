/**
 * How a cluster worker reacts to an error from the ARM port (already typed by the adapter, conventions 5):
 * - `retry`: 408/429/5xx (`TransientError`, after its Retry-After) and 409 "operation in progress"
 *   (`ConflictError`, one operation per extension at a time): same message again later, state unchanged;
 * - `waitNamespace`: the release namespace of a previous install is still terminating (vendor/reference/failure-modes.md 1-2):
 *   try again after a longer wait, bounded by the operation's deadline;
 * - `terminal`: retrying will not help (400/403, not registered, disallowed by policy, a second OSM):
 *   the row fails with ARM's code and message;
 * - `clusterGone`: the connected cluster no longer exists.
 * Anything else (a store failure, a bug) is not an ARM outcome: `undefined`, and the caller rethrows.
 */
import { ConflictError, NotFoundError, TerminalError, TransientError } from '../domain/errors.js';

export type ArmFailure =
  | { kind: 'retry'; reason: string; message: string; delayMs: number }
  | { kind: 'waitNamespace'; reason: 'NamespaceTerminating'; message: string; delayMs: number }
  | { kind: 'terminal'; reason: string; message: string }
  | { kind: 'clusterGone'; reason: 'ClusterNotFound'; message: string };

/** Texts ARM and the agents use when an earlier release's namespace or name is still going away. */
const NAMESPACE_TERMINATING = [
  /because it is being terminated/i,
  /namespace .* is (still )?terminating/i,
  /can't reuse a name that is still in use/i,
];

/** 409s that are not "try again later" but "fix the subscription first". */
const TERMINAL_CONFLICTS = new Set(['missingsubscriptionregistration', 'resourceprovidernotregistered']);

export function isNamespaceTerminating(message: string): boolean {
  return NAMESPACE_TERMINATING.some((re) => re.test(message));
}

export function classifyArmFailure(err: unknown, checkDelayMs: number): ArmFailure | undefined {
  if (err instanceof TransientError) {
    const throttled = /throttl|toomanyrequests|429/i.test(`${err.code} ${err.message}`);
    return {
      kind: 'retry',
      reason: throttled ? 'ArmThrottled' : 'ArmUnavailable',
      message: err.message,
      delayMs: Math.max(err.retryAfterMs, 1000),
    };
  }
  if (err instanceof ConflictError) {
    if (TERMINAL_CONFLICTS.has(err.code.toLowerCase()))
      return { kind: 'terminal', reason: err.code, message: err.message };
    return { kind: 'retry', reason: 'OperationInProgress', message: err.message, delayMs: 2 * checkDelayMs };
  }
  if (err instanceof TerminalError) {
    if (isNamespaceTerminating(err.message)) return namespaceWait(err.message, checkDelayMs);
    return { kind: 'terminal', reason: err.code, message: err.message };
  }
  if (err instanceof NotFoundError)
    return { kind: 'clusterGone', reason: 'ClusterNotFound', message: err.message };
  return undefined;
}

/** The wait before trying again while a namespace terminates (the tutorial says about 10 minutes). */
export function namespaceWait(message: string, checkDelayMs: number): ArmFailure & { kind: 'waitNamespace' } {
  return {
    kind: 'waitNamespace',
    reason: 'NamespaceTerminating',
    message,
    delayMs: Math.max(8 * checkDelayMs, 60_000),
  };
}

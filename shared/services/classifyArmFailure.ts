/**
 * How a cluster worker reacts to an error from the ARM port (already typed by the adapter, conventions 5):
 * - `retry`: 408/429/5xx (`TransientError`, after its Retry-After) and a conflicting operation in progress,
 *   whichever way ARM reports it (a synchronous 409 `ConflictError`, or a request or async operation that
 *   failed with a "conflicting operation in progress" error: `armFailureMeaning`): same work again later;
 * - `waitNamespace`: the release namespace of a previous install is still terminating (vendor/reference/failure-modes.md 1-2):
 *   try again after a longer wait, bounded by the operation's deadline;
 * - `terminal`: retrying will not help (400/403, not registered, disallowed by policy, a second OSM):
 *   the row fails with ARM's code and message;
 * - `clusterGone`: the connected cluster no longer exists.
 * Anything else (a store failure, a bug) is not an ARM outcome: `undefined`, and the caller rethrows.
 * `classifyFailedOperation` gives the same reading of a failure ARM reported as a value (a failed async
 * operation, an extension's `errorInfo`), so both readings of a conflict end in a retry, never a failed hop.
 */
import { armFailureMeaning } from '../domain/armFailureMeaning.js';
import { ConflictError, NotFoundError, TerminalError, TransientError } from '../domain/errors.js';

export type ArmFailure =
  | { kind: 'retry'; reason: string; message: string; delayMs: number }
  | { kind: 'waitNamespace'; reason: 'NamespaceTerminating'; message: string; delayMs: number }
  | { kind: 'terminal'; reason: string; message: string }
  | { kind: 'clusterGone'; reason: 'ClusterNotFound'; message: string };

/** 409s that are not "try again later" but "fix the subscription first". */
const TERMINAL_CONFLICTS = new Set(['missingsubscriptionregistration', 'resourceprovidernotregistered']);

export function isNamespaceTerminating(message: string): boolean {
  return armFailureMeaning(undefined, message) === 'namespaceTerminating';
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
    return conflictRetry(err.message, checkDelayMs);
  }
  if (err instanceof TerminalError) return classifyFailedOperation(err.code, err.message, checkDelayMs);
  if (err instanceof NotFoundError)
    return { kind: 'clusterGone', reason: 'ClusterNotFound', message: err.message };
  return undefined;
}

/** A failure ARM reported as a value (failed operation, extension `errorInfo`): wait, retry or give up. */
export function classifyFailedOperation(
  code: string,
  message: string,
  checkDelayMs: number,
): Exclude<ArmFailure, { kind: 'clusterGone' }> {
  const meaning = armFailureMeaning(code, message);
  if (meaning === 'namespaceTerminating') return namespaceWait(message, checkDelayMs);
  if (meaning === 'conflict') return conflictRetry(message, checkDelayMs);
  return { kind: 'terminal', reason: code, message };
}

/** Another operation on the extension was running: the same work again after two check delays. */
function conflictRetry(message: string, checkDelayMs: number): ArmFailure & { kind: 'retry' } {
  return { kind: 'retry', reason: 'OperationInProgress', message, delayMs: 2 * checkDelayMs };
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

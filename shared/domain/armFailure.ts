/**
 * What an ARM failure means for the cluster workers, in one place: ONE table from the typed error (or from
 * ARM's code and message, whichever way the failure arrived: a refused request, a failed async operation,
 * an extension's `errorInfo` / `statuses`) to a meaning with its delay, and ONE table from (call site,
 * meaning) to the worker's reaction. Pure: the adapters type the error (conventions 5), the decisions of
 * shared/domain/clusterHop read the reaction, the services only carry it out.
 *
 * Meanings (`ArmFailure.kind`):
 * - `retry`: 408/429/5xx (`TransientError`, after its Retry-After, at least 1 s) and a conflicting operation
 *   in progress, whichever way ARM reports it (a synchronous 409, or a request or async operation failed
 *   "there is a conflicting operation in progress. Please try after sometime"): the PUT did not take, the
 *   same work again after two check delays;
 * - `waitNamespace`: the release namespace of a previous install is still terminating
 *   (vendor/reference/failure-modes.md 1-2): the same PUT after a long wait (8 check delays, at least 60 s;
 *   the tutorial says about 10 minutes), bounded by the operation's deadline;
 * - `terminal`: retrying will not help (400/403, not registered, disallowed by policy, a second OSM);
 * - `clusterGone`: the connected cluster (or the operation asked for) no longer exists (404).
 * Anything else (a store failure, a bug) is not an ARM outcome: `undefined`, and the executor rethrows.
 */
import { ConflictError, NotFoundError, TerminalError, TransientError } from './errors.js';

export type ArmFailure =
  | { kind: 'retry'; reason: string; message: string; delayMs: number }
  | { kind: 'waitNamespace'; reason: 'NamespaceTerminating'; message: string; delayMs: number }
  | { kind: 'terminal'; reason: string; message: string }
  | { kind: 'clusterGone'; reason: 'ClusterNotFound'; message: string };

export type ArmFailureKind = ArmFailure['kind'];

/** ARM's words, read from its code and message. */
export type FailureMeaning = 'namespaceTerminating' | 'conflict' | 'terminal';

/** Texts ARM and the agents use when an earlier release's namespace or name is still going away. */
const NAMESPACE_TERMINATING = [
  /because it is being terminated/i,
  /namespace .* is (still )?terminating/i,
  /can't reuse a name that is still in use/i,
];

/** Codes and texts of "another operation is running on this resource; try later". */
const CONFLICT_CODES = new Set(['anotheroperationinprogress', 'operationinprogress', 'conflictingoperation']);
const CONFLICT_TEXTS = [
  /conflicting operation (is )?in progress/i,
  /another operation (is )?(already )?in progress/i,
  /operation .{0,80} is (already )?in progress on (this|the) resource/i,
];

/** 409s that are not "try again later" but "fix the subscription first". */
const TERMINAL_CONFLICTS = new Set(['missingsubscriptionregistration', 'resourceprovidernotregistered']);

export function armFailureMeaning(code: string | undefined, message: string | undefined): FailureMeaning {
  const text = message ?? '';
  if (NAMESPACE_TERMINATING.some((re) => re.test(text))) return 'namespaceTerminating';
  if (CONFLICT_CODES.has((code ?? '').toLowerCase())) return 'conflict';
  if (CONFLICT_TEXTS.some((re) => re.test(text))) return 'conflict';
  return 'terminal';
}

export function isNamespaceTerminating(message: string): boolean {
  return armFailureMeaning(undefined, message) === 'namespaceTerminating';
}

/** The meaning table: typed error -> kind and delay. `undefined`: no ARM outcome (rethrow). */
export function classifyArmFailure(err: unknown, checkDelayMs: number): ArmFailure | undefined {
  if (err instanceof TransientError) {
    const throttled = /throttl|toomanyrequests|429/i.test(`${err.code} ${err.message}`);
    const reason = throttled ? 'ArmThrottled' : 'ArmUnavailable';
    return { kind: 'retry', reason, message: err.message, delayMs: Math.max(err.retryAfterMs, 1000) };
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

function conflictRetry(message: string, checkDelayMs: number): ArmFailure & { kind: 'retry' } {
  return { kind: 'retry', reason: 'OperationInProgress', message, delayMs: 2 * checkDelayMs };
}

export function namespaceWait(message: string, checkDelayMs: number): ArmFailure & { kind: 'waitNamespace' } {
  const delayMs = Math.max(8 * checkDelayMs, 60_000);
  return { kind: 'waitNamespace', reason: 'NamespaceTerminating', message, delayMs };
}

/** Where the workers call ARM; each site reacts to each meaning in exactly one way (`ARM_REACTIONS`). */
export type ArmCallSite =
  /** cluster-steps: GET of the cluster (with its extensions) before the PUT. */
  | 'hopClusterRead'
  /** cluster-steps: the hop's PUT. */
  | 'hopPut'
  /** cluster-checks: GET of the extension, of the cluster (connectivity, existence), confirmation reads. */
  | 'hopCheckRead'
  /** cluster-checks: GET of the operation (404: ARM forgot it, the extension decides). */
  | 'hopOperationRead'
  /** cluster-checks: the operation (or the extension's `errorInfo`) reported a failure as a value. */
  | 'hopOperationFailed'
  /** monitor-steps: GET of the monitor operation (404: forgotten, ensure again). */
  | 'monitorOperationRead'
  /** monitor-steps: GET of the monitor extension before the PUT. */
  | 'monitorExtensionRead'
  /** monitor-steps: the monitor extension's PUT (an attempt is counted before it). */
  | 'monitorPut'
  /** monitor-steps: the workspace, data collection rule and association reads and writes. */
  | 'monitorDataCollection'
  /** connect-watch: GET of the watched cluster. */
  | 'connectWatchRead';

/**
 * - `requeue`: the same message again after the failure's delay, nothing counted;
 * - `waitInDeadline`: the same PUT again after the delay while that stays within the operation's deadline,
 *   else the hop fails;
 * - `fail`: the hop (or the monitor onboarding, for good) fails with ARM's code and message;
 * - `endDeleted`: the connected cluster is gone: Skipped `ClusterDeleted`, never Failed;
 * - `forgotten`: ARM no longer knows the operation: judge by the extension (hop) or ensure again (monitor);
 * - `attemptFailed`: a counted monitor attempt, retried with backoff (at least the failure's delay);
 * - `endWatch`: the connect-watch ends (the sweep's safety net takes over).
 */
export type ArmReaction =
  'requeue' | 'waitInDeadline' | 'fail' | 'endDeleted' | 'forgotten' | 'attemptFailed' | 'endWatch';

export const ARM_REACTIONS: Readonly<Record<ArmCallSite, Readonly<Record<ArmFailureKind, ArmReaction>>>> = {
  hopClusterRead: { retry: 'requeue', waitNamespace: 'requeue', terminal: 'fail', clusterGone: 'endDeleted' },
  hopPut: { retry: 'requeue', waitNamespace: 'waitInDeadline', terminal: 'fail', clusterGone: 'endDeleted' },
  hopCheckRead: { retry: 'requeue', waitNamespace: 'fail', terminal: 'fail', clusterGone: 'endDeleted' },
  hopOperationRead: { retry: 'requeue', waitNamespace: 'fail', terminal: 'fail', clusterGone: 'forgotten' },
  hopOperationFailed: {
    retry: 'waitInDeadline',
    waitNamespace: 'waitInDeadline',
    terminal: 'fail',
    clusterGone: 'endDeleted',
  },
  monitorOperationRead: {
    retry: 'requeue',
    waitNamespace: 'requeue',
    terminal: 'attemptFailed',
    clusterGone: 'forgotten',
  },
  monitorExtensionRead: {
    retry: 'requeue',
    waitNamespace: 'attemptFailed',
    terminal: 'fail',
    clusterGone: 'fail',
  },
  monitorPut: {
    retry: 'attemptFailed',
    waitNamespace: 'attemptFailed',
    terminal: 'fail',
    clusterGone: 'fail',
  },
  monitorDataCollection: {
    retry: 'requeue',
    waitNamespace: 'requeue',
    terminal: 'fail',
    clusterGone: 'fail',
  },
  connectWatchRead: {
    retry: 'requeue',
    waitNamespace: 'requeue',
    terminal: 'endWatch',
    clusterGone: 'endWatch',
  },
};

/** The reaction of `site` to `failure`, with the failure's own reason, message and delay (0 when none). */
export function armReaction(
  site: ArmCallSite,
  failure: ArmFailure,
): { reaction: ArmReaction; reason: string; message: string; delayMs: number } {
  const delayMs = 'delayMs' in failure ? failure.delayMs : 0;
  return {
    reaction: ARM_REACTIONS[site][failure.kind],
    reason: failure.reason,
    message: failure.message,
    delayMs,
  };
}

/**
 * What a failure ARM reported means for the work, read from ARM's own code and message, whichever way it
 * arrived (a refused request, a failed async operation, or an extension's `errorInfo` / `statuses`):
 * - `namespaceTerminating`: the release namespace of a previous install is still going away
 *   (vendor/reference/failure-modes.md 1-2): send the same PUT again once it is gone;
 * - `conflict`: another operation on the resource was in progress. ARM answers this either with a
 *   synchronous 409 or by accepting the PUT and failing its async operation (`UpdateFailed`, "there is a
 *   conflicting operation in progress. Please try after sometime"): either way the PUT did not take and
 *   is sent again later;
 * - `terminal`: anything else; retrying the same request will not help.
 * Pure text rules, no I/O: the adapters type the error, callers decide what to do with the meaning.
 */

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

export function armFailureMeaning(code: string | undefined, message: string | undefined): FailureMeaning {
  const text = message ?? '';
  if (NAMESPACE_TERMINATING.some((re) => re.test(text))) return 'namespaceTerminating';
  if (CONFLICT_CODES.has((code ?? '').toLowerCase())) return 'conflict';
  if (CONFLICT_TEXTS.some((re) => re.test(text))) return 'conflict';
  return 'terminal';
}

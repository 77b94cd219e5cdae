/**
 * What a queue worker returns (conventions 4: expected outcomes are values; only bugs throw).
 * - `done`: the step did its work (operation started, check scheduled, hop or cluster finished);
 * - `requeued`: the same work comes back after `delayMs` (throttled, busy, still running);
 * - `stalled`: the cluster left InProgress without succeeding (Failed, Deferred, Skipped, AwaitingApproval);
 * - `ignored`: a stale or duplicate message; nothing changed.
 */
export type StepOutcome = 'done' | 'requeued' | 'stalled' | 'ignored';

export interface StepResult {
  outcome: StepOutcome;
  /** PascalCase: the row's reason, or why nothing happened (`StaleMessage`, `NotInProgress`, ...). */
  reason: string;
  delayMs?: number;
}

export const ignored = (reason: string): StepResult => ({ outcome: 'ignored', reason });
export const requeued = (reason: string, delayMs: number): StepResult => ({
  outcome: 'requeued',
  reason,
  delayMs,
});

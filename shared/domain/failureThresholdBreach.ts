/**
 * The halt rule of a rollout. Failures are measured against the clusters the rollout has dispatched so far
 * (InProgress + Succeeded + Failed), across all waves: that is the work actually attempted, so a canary
 * wave halts on its own failures instead of being diluted by thousands of clusters not yet touched, and
 * clusters still Pending, Deferred, AwaitingApproval or Skipped never count. Failures the operator accepted
 * by resuming a halted rollout (`acceptedFailures`) are left out of both sides.
 *
 * The rollout halts when the share is strictly above `maxFailurePercent`: with 5, 2 of 40 (5%) continues
 * and 3 of 40 (7.5%) halts; with 0 any failure halts; with 100 nothing halts.
 */
import type { ClusterState, Rollout } from './rolloutState.js';

type HasState = { readonly state: ClusterState };

export interface FailureTally {
  failed: number;
  dispatched: number;
}

export function failureTally(rollout: Rollout, clusters: readonly HasState[]): FailureTally {
  let failed = 0;
  let dispatched = 0;
  for (const c of clusters) {
    if (c.state === 'Failed') failed++;
    if (c.state === 'Failed' || c.state === 'Succeeded' || c.state === 'InProgress') dispatched++;
  }
  const accepted = Math.min(rollout.acceptedFailures ?? 0, failed);
  return { failed: failed - accepted, dispatched: dispatched - accepted };
}

/** The halt reason when failures passed the threshold, else undefined. */
export function failureThresholdBreach(rollout: Rollout, clusters: readonly HasState[]): string | undefined {
  const { failed, dispatched } = failureTally(rollout, clusters);
  if (failed === 0 || failed * 100 <= rollout.maxFailurePercent * dispatched) return undefined;
  const percent = Math.round((failed * 1000) / dispatched) / 10;
  const accepted = rollout.acceptedFailures ?? 0;
  const note = accepted > 0 ? ` (not counting ${accepted} accepted earlier)` : '';
  return (
    `${failed} of ${dispatched} dispatched clusters failed (${percent}%)${note}, ` +
    `above maxFailurePercent ${rollout.maxFailurePercent}`
  );
}

/**
 * Operator commands on a rollout, as pure transitions: each returns the next rollout and the cluster rows
 * it changes (only those, with their new state), or throws a typed error when the command makes no sense
 * in the current state. Repeating a command that already holds (pause a Paused rollout) changes nothing
 * and is not an error, so a retried HTTP call is harmless.
 *
 * - pause: Pending/Running -> Paused. In-flight clusters finish; `advance` dispatches nothing while Paused.
 * - resume: Paused -> Running (Pending if it never started). Halted -> Running, accepting the failures so
 *   far: they stop counting toward the halt threshold (`acceptedFailures`) but still make the end state
 *   Failed. To retry them instead, use retry-failed.
 * - cancel: any non-terminal state -> Cancelled. Clusters not yet dispatched (Pending, Deferred,
 *   AwaitingApproval) become Cancelled; InProgress ones finish their current operation and record it.
 * - retry-failed: Failed clusters -> Pending. A Halted or Failed rollout runs again; Paused stays Paused.
 * - approve: AwaitingApproval clusters (ids, case-insensitive, or 'all') -> Pending with `approved`.
 */
import { ConflictError, NotFoundError } from './errors.js';
import type { Rollout, RolloutClusterView } from './rolloutState.js';
import { isTerminalRollout } from './rolloutState.js';
import { normalizeId } from './armId.js';

export interface CommandResult {
  rollout: Rollout;
  /** The cluster rows the command changed, with their new state; unchanged ones are left out. */
  clusters: RolloutClusterView[];
}

function finished(r: Rollout, verb: string): ConflictError {
  return new ConflictError(`rollout ${r.id} is ${r.state}: it cannot be ${verb}`, 'RolloutFinished');
}

const touch = (r: Rollout, now: Date): Rollout => ({ ...r, updatedAt: now.toISOString() });

export function pauseRollout(r: Rollout, _clusters: readonly RolloutClusterView[], now: Date): CommandResult {
  if (isTerminalRollout(r.state)) throw finished(r, 'paused');
  if (r.state === 'Planning')
    throw new ConflictError(
      `rollout ${r.id} is still Planning: pause it once it runs, or cancel it`,
      'RolloutPlanning',
    );
  if (r.state === 'Halted') {
    throw new ConflictError(
      `rollout ${r.id} is Halted (${r.haltedReason ?? 'failures'}): resume, retry-failed or cancel it`,
      'RolloutHalted',
    );
  }
  if (r.state === 'Paused') return { rollout: { ...r }, clusters: [] };
  return { rollout: { ...touch(r, now), state: 'Paused' }, clusters: [] };
}

export function resumeRollout(r: Rollout, clusters: readonly RolloutClusterView[], now: Date): CommandResult {
  if (isTerminalRollout(r.state)) throw finished(r, 'resumed');
  if (r.state === 'Paused') {
    return { rollout: { ...touch(r, now), state: r.startedAt ? 'Running' : 'Pending' }, clusters: [] };
  }
  if (r.state === 'Halted') {
    const next: Rollout = { ...touch(r, now), state: 'Running' };
    delete next.haltedReason;
    next.acceptedFailures = clusters.filter((c) => c.state === 'Failed').length;
    return { rollout: next, clusters: [] };
  }
  return { rollout: { ...r }, clusters: [] };
}

export function cancelRollout(r: Rollout, clusters: readonly RolloutClusterView[], now: Date): CommandResult {
  if (r.state === 'Cancelled') return { rollout: { ...r }, clusters: [] };
  if (isTerminalRollout(r.state)) throw finished(r, 'cancelled');
  const next: Rollout = { ...touch(r, now), state: 'Cancelled', finishedAt: now.toISOString() };
  delete next.waveSoakUntil;
  const changed = clusters
    .filter((c) => c.state === 'Pending' || c.state === 'Deferred' || c.state === 'AwaitingApproval')
    .map((c): RolloutClusterView => ({ ...c, state: 'Cancelled' }));
  return { rollout: next, clusters: changed };
}

export function retryFailed(r: Rollout, clusters: readonly RolloutClusterView[], now: Date): CommandResult {
  if (r.state === 'Succeeded' || r.state === 'Cancelled') throw finished(r, 'retried');
  const failed = clusters.filter((c) => c.state === 'Failed');
  if (failed.length === 0)
    throw new ConflictError(`rollout ${r.id} has no failed clusters to retry`, 'NothingToRetry');
  const next: Rollout = { ...touch(r, now) };
  delete next.acceptedFailures;
  if (r.state === 'Halted' || r.state === 'Failed') {
    next.state = 'Running';
    delete next.haltedReason;
    delete next.finishedAt;
  }
  return { rollout: next, clusters: failed.map((c): RolloutClusterView => ({ ...c, state: 'Pending' })) };
}

export function approveClusters(
  r: Rollout,
  clusters: readonly RolloutClusterView[],
  ids: readonly string[] | 'all',
  now: Date,
): CommandResult {
  if (isTerminalRollout(r.state)) throw finished(r, 'approved');
  let chosen: RolloutClusterView[];
  if (ids === 'all') {
    chosen = clusters.filter((c) => c.state === 'AwaitingApproval');
    if (chosen.length === 0) {
      throw new ConflictError(`no cluster of rollout ${r.id} is awaiting approval`, 'NothingToApprove');
    }
  } else {
    const byId = new Map(clusters.map((c) => [normalizeId(c.id), c]));
    const unknown = ids.filter((id) => !byId.has(normalizeId(id)));
    if (unknown.length > 0) {
      throw new NotFoundError(
        `not clusters of rollout ${r.id}: ${unknown.join(', ')}`,
        'ClusterNotInRollout',
      );
    }
    const asked = [...new Set(ids.map((id) => normalizeId(id)))].map((id) => byId.get(id)).filter((c) => !!c);
    const wrong = asked.filter((c) => c.state !== 'AwaitingApproval' && c.approved !== true);
    if (wrong.length > 0) {
      const list = wrong.map((c) => `${c.id} (${c.state})`).join(', ');
      throw new ConflictError(`not awaiting approval: ${list}`, 'ClusterNotAwaitingApproval');
    }
    chosen = asked.filter((c) => c.state === 'AwaitingApproval');
  }
  const changed = chosen.map((c): RolloutClusterView => ({ ...c, state: 'Pending', approved: true }));
  return { rollout: changed.length > 0 ? touch(r, now) : { ...r }, clusters: changed };
}

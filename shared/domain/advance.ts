/**
 * The rollout state machine: `advance(rollout, clusters, now)` decides what to do next; the caller applies
 * the actions (ETag-conditional writes, queue messages). Pure and deterministic: the same input gives the
 * same output, and feeding the output back (with the clusters updated as the actions say) dispatches
 * nothing beyond the parallel limit and repeats no wave transition.
 *
 * Choices, as a platform engineer would expect them:
 * - Only `Pending` and `Running` rollouts move. `Paused`, `Halted` and the terminal states get no actions.
 *   The first call on a `Pending` rollout makes it `Running` (`startWave` 0).
 * - Connectivity: a Pending cluster whose connected cluster is offline becomes Deferred (`defer`), never
 *   Failed; a Deferred cluster that is online again becomes Pending (`undefer`). Only waves up to the
 *   current one are touched; later waves are looked at when they start. InProgress clusters that go offline
 *   are the workers' business (their operation is checked, not guessed).
 * - A wave is finished when none of its clusters is Pending or InProgress. Deferred and AwaitingApproval
 *   clusters do NOT hold the wave: one offline cluster or one unapproved CRD hop must not stall the fleet.
 *   They stay in the books and keep the rollout from finishing; when they come back (online again,
 *   approved) they are dispatched as stragglers of their own wave, within that wave's `maxParallel`.
 * - After a wave finishes: `waveComplete`, then `startSoak` until now + `soakMinutes` (no soak after the
 *   last wave, none when 0, none when the wave changed nothing, i.e. has no Succeeded or Failed cluster),
 *   then `startWave` of the next one once the soak is over. A new wave is never
 *   dispatched while an earlier wave has Pending/InProgress clusters or is soaking.
 * - Dispatch: Pending (online) clusters of the waves up to the current one, at most the wave's
 *   `maxParallel` minus its clusters already InProgress; the free slots go to the subscriptions with the
 *   fewest clusters in flight, then by cluster id (`spreadBySubscription.ts`: ARM throttles per subscription).
 * - Halt: see `failureThresholdBreach.ts` (failed / dispatched, strictly above `maxFailurePercent`).
 * - Maintenance window: outside it nothing new is dispatched (in-flight work continues, waves still
 *   complete and soak); when there is work to start, `waitForWindow` gives the next opening.
 * - Done: when every wave finished and no cluster is Pending, InProgress, Deferred or AwaitingApproval,
 *   the rollout ends `Succeeded` if no cluster Failed (Succeeded, Skipped and Cancelled clusters all count
 *   as settled), else `Failed` (some failed, but never more than the halt threshold allowed). A rollout
 *   left with only Deferred/AwaitingApproval clusters stays `Running` and says so in its counts: approve,
 *   wait for the cluster, or cancel.
 */
import { failureThresholdBreach } from './failureThresholdBreach.js';
import { isInWindow, nextWindowStart } from './maintenanceWindow.js';
import type {
  AdvanceResult,
  ClusterState,
  Rollout,
  RolloutAction,
  RolloutClusterView,
} from './rolloutState.js';
import { spreadBySubscription } from './spreadBySubscription.js';

const compareIds = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The state the cluster is in for this decision, once its connectivity is taken into account. */
function effectiveState(c: RolloutClusterView): ClusterState {
  if (c.state === 'Pending' && !c.online) return 'Deferred';
  if (c.state === 'Deferred' && c.online) return 'Pending';
  return c.state;
}

type View = { id: string; wave: number; state: ClusterState; was: ClusterState };

export function advance(rollout: Rollout, clusters: readonly RolloutClusterView[], now: Date): AdvanceResult {
  const r: Rollout = { ...rollout, waves: rollout.waves.map((w) => ({ ...w })) };
  if (r.maintenanceWindow)
    r.maintenanceWindow = { ...r.maintenanceWindow, days: [...r.maintenanceWindow.days] };
  if (r.state !== 'Pending' && r.state !== 'Running') return { rollout: r, actions: [] };

  const view: View[] = clusters.map((c) => ({
    id: c.id,
    wave: c.wave,
    state: effectiveState(c),
    was: c.state,
  }));
  const steps: RolloutAction[] = [];
  if (r.state === 'Pending') {
    r.state = 'Running';
    r.startedAt ??= now.toISOString();
    if (r.currentWave < r.waves.length) steps.push({ kind: 'startWave', wave: r.currentWave });
  }

  const reason = failureThresholdBreach(r, view);
  if (reason !== undefined) {
    r.state = 'Halted';
    r.haltedReason = reason;
    steps.push({ kind: 'halt', reason });
  } else {
    progressWaves(r, view, now, steps);
    const dispatched = dispatch(r, view, now, steps);
    if (dispatched === 0) finishIfSettled(r, view, now, steps);
  }
  return { rollout: r, actions: [...connectivityActions(r, view), ...steps] };
}

function hasActive(view: readonly View[], wave: number): boolean {
  return view.some((c) => c.wave === wave && (c.state === 'Pending' || c.state === 'InProgress'));
}

function progressWaves(r: Rollout, view: readonly View[], now: Date, steps: RolloutAction[]): void {
  while (r.currentWave < r.waves.length) {
    const k = r.currentWave;
    if (r.waveSoakUntil !== undefined) {
      if (now.getTime() < Date.parse(r.waveSoakUntil)) return;
      delete r.waveSoakUntil;
    } else {
      if (hasActive(view, k)) return;
      steps.push({ kind: 'waveComplete', wave: k });
      const soak = r.waves[k]?.soakMinutes ?? 0;
      const changedSomething = view.some(
        (c) => c.wave === k && (c.state === 'Succeeded' || c.state === 'Failed'),
      );
      if (soak > 0 && k + 1 < r.waves.length && changedSomething) {
        r.waveSoakUntil = new Date(now.getTime() + soak * 60_000).toISOString();
        steps.push({ kind: 'startSoak', wave: k, until: r.waveSoakUntil });
        return;
      }
    }
    r.currentWave = k + 1;
    if (r.currentWave < r.waves.length) steps.push({ kind: 'startWave', wave: r.currentWave });
  }
}

/** Dispatches within each eligible wave's free slots; returns how many clusters were dispatched. */
function dispatch(r: Rollout, view: readonly View[], now: Date, steps: RolloutAction[]): number {
  const last = Math.min(r.currentWave, r.waves.length - 1);
  const windowOpen = r.maintenanceWindow === undefined || isInWindow(r.maintenanceWindow, now);
  let waiting = false;
  let count = 0;
  for (let wave = 0; wave <= last; wave++) {
    const pending = view.filter((c) => c.wave === wave && c.state === 'Pending').map((c) => c.id);
    if (pending.length === 0) continue;
    if (!windowOpen) {
      waiting = true;
      continue;
    }
    const inProgress = view.filter((c) => c.wave === wave && c.state === 'InProgress').length;
    const free = (r.waves[wave]?.maxParallel ?? 0) - inProgress;
    if (free <= 0) continue;
    const inFlight = view.filter((c) => c.state === 'InProgress').map((c) => c.id);
    const clusterIds = spreadBySubscription(pending, inFlight, free);
    steps.push({ kind: 'dispatch', wave, clusterIds });
    count += clusterIds.length;
  }
  if (waiting && r.maintenanceWindow) {
    steps.push({ kind: 'waitForWindow', until: nextWindowStart(r.maintenanceWindow, now).toISOString() });
  }
  return count;
}

const UNSETTLED: readonly ClusterState[] = ['Pending', 'InProgress', 'Deferred', 'AwaitingApproval'];

function finishIfSettled(r: Rollout, view: readonly View[], now: Date, steps: RolloutAction[]): void {
  if (r.currentWave < r.waves.length) return;
  if (view.some((c) => UNSETTLED.includes(c.state))) return;
  const state = view.some((c) => c.state === 'Failed') ? 'Failed' : 'Succeeded';
  r.state = state;
  r.finishedAt = now.toISOString();
  delete r.waveSoakUntil;
  steps.push({ kind: 'done', state });
}

/** `defer` / `undefer` for clusters whose connectivity changed, in the waves up to the current one. */
function connectivityActions(r: Rollout, view: readonly View[]): RolloutAction[] {
  const touched = view.filter((c) => c.wave <= r.currentWave && c.state !== c.was);
  const defer = touched.filter((c) => c.state === 'Deferred').map((c) => c.id);
  const undefer = touched.filter((c) => c.state === 'Pending').map((c) => c.id);
  const out: RolloutAction[] = [];
  if (defer.length > 0) out.push({ kind: 'defer', clusterIds: defer.sort(compareIds) });
  if (undefer.length > 0) out.push({ kind: 'undefer', clusterIds: undefer.sort(compareIds) });
  return out;
}

/**
 * Drives one rollout a step: read it and its rows, let `advance` decide, save the rollout with its ETag
 * FIRST, then apply the actions (defer / undefer / dispatch rows with ETag-conditional writes, step
 * messages only after the row write succeeded), then the lost-message repair scan.
 *
 * Safe to run concurrently (timer, freed slots, several instances): the rollout's ETag write is the gate
 * (an instance that loses it stops; the winner applies the actions), and a row is dispatched only through
 * a conditional write that finds it still Pending/Deferred, so no cluster is dispatched twice. A crash
 * after the rollout write loses nothing: rows still Pending are dispatched again on the next call.
 */
import { advance } from '../domain/advance.js';
import { ConcurrencyError } from '../domain/errors.js';
import type { HistoryEvent, RolloutClusterRecord } from '../domain/records.js';
import { recordLastEvents } from './recordLastEvent.js';
import { QUEUES } from '../domain/records.js';
import type { RolloutAction, RolloutClusterView, RolloutState } from '../domain/rolloutState.js';
import { loadRolloutClusters } from './loadRolloutClusters.js';
import { resendStalledPlanning } from './planningMessage.js';
import type { RepairResult } from './repairLostMessages.js';
import { repairLostMessages } from './repairLostMessages.js';
import { resolveOnline } from './resolveOnline.js';
import type { ServiceDeps } from './serviceDeps.js';
import { writeClusterRows, writeClusterRowsWithEvent } from './writeClusterRows.js';
import { normalizeId } from '../domain/armId.js';

export interface ReconcileOptions {
  /**
   * Run the lost-message repair scan over rows read fresh from the store (default true; the timer does). A
   * freed slot's pass skips it and reads only the rows changed since this instance's last read (rowCache).
   */
  repairLostMessages?: boolean;
}

export interface ReconcileSummary {
  rolloutId: string;
  /** `lostRace`: another instance saved the rollout first and applies the actions. */
  outcome: 'advanced' | 'unchanged' | 'notFound' | 'lostRace';
  state?: RolloutState;
  actions: RolloutAction[];
  dispatched: string[];
  deferred: string[];
  undeferred: string[];
  repaired: RepairResult;
}

/** `connectivity`: lower-cased cluster id -> `connectivityStatus`, from a fresh sweep (see resolveOnline). */
export async function reconcileRollout(
  deps: ServiceDeps,
  rolloutId: string,
  connectivity?: ReadonlyMap<string, string>,
  options: ReconcileOptions = {},
): Promise<ReconcileSummary> {
  const summary: ReconcileSummary = {
    rolloutId,
    outcome: 'unchanged',
    actions: [],
    dispatched: [],
    deferred: [],
    undeferred: [],
    repaired: { steps: 0, checks: 0, monitors: 0 },
  };
  const stored = await deps.rollouts.get(rolloutId);
  if (!stored) {
    deps.log.warn('rollout to reconcile not found', { rolloutId });
    return { ...summary, outcome: 'notFound' };
  }
  if (stored.value.rollout.state === 'Planning')
    return { ...summary, ...(await resendStalledPlanning(deps, stored.value)) };
  // A freed slot's pass reads what changed since this instance's last read; the timer's pass reads all.
  const full = options.repairLostMessages !== false;
  const rows = deps.rowCache
    ? await deps.rowCache.rows(deps.rollouts, rolloutId, full)
    : await loadRolloutClusters(deps, rolloutId);
  const online = await resolveOnline(deps, stored.value.rollout, rows, connectivity);
  const views = rows.map(({ value: r }): RolloutClusterView => ({
    id: r.clusterId,
    wave: r.wave,
    state: r.state,
    online: online.get(normalizeId(r.clusterId)) ?? true,
    approved: r.approved,
  }));
  const now = deps.clock.now();
  const next = advance(stored.value.rollout, views, now);
  summary.state = next.rollout.state;
  summary.actions = next.actions;
  const changed = JSON.stringify(next.rollout) !== JSON.stringify(stored.value.rollout);
  if (changed || next.actions.length > 0) {
    try {
      await deps.rollouts.update({ ...stored.value, rollout: next.rollout }, stored.etag);
    } catch (err) {
      if (!(err instanceof ConcurrencyError)) throw err;
      deps.log.info('rollout reconciled by another instance', { rolloutId });
      return { ...summary, outcome: 'lostRace', actions: [] };
    }
    summary.outcome = 'advanced';
    if (next.actions.some((a) => a.kind === 'done')) {
      deps.rowCache?.forget(rolloutId);
      // The rows' last chance: a worker that died between a row's settling write and its history append, and
      // whose message was then lost, left the hop's events on the row, and nothing moves a settled row again.
      // Events this process saw stored are skipped (all of them on one instance); with several instances each
      // row settled elsewhere costs one idempotent append here, once per rollout (docs/reliability.md).
      await recordLastEvents(
        deps,
        rows.map((r) => r.value),
      );
    }
    logTransitions(deps, rolloutId, stored.value.rollout.state, next.actions, next.rollout.state);
    await applyRowActions(deps, rolloutId, rows, next.actions, now, summary);
  }
  if (options.repairLostMessages !== false) {
    const dispatched = new Set(summary.dispatched);
    const candidates = rows.map((r) => r.value).filter((r) => !dispatched.has(r.clusterId));
    summary.repaired = await repairLostMessages(deps, candidates);
    // A deferral whose writer died before its history append: nothing else moves such a row for a while.
    await recordLastEvents(
      deps,
      candidates.filter((r) => r.state === 'Deferred'),
    );
  }
  return summary;
}

async function applyRowActions(
  deps: ServiceDeps,
  rolloutId: string,
  rows: Awaited<ReturnType<typeof loadRolloutClusters>>,
  actions: readonly RolloutAction[],
  now: Date,
  summary: ReconcileSummary,
): Promise<void> {
  const at = now.toISOString();
  const ids = (kind: 'defer' | 'undefer' | 'dispatch') =>
    new Set(actions.flatMap((a) => (a.kind === kind ? a.clusterIds : [])));
  const dispatchIds = ids('dispatch');
  const deferIds = ids('defer');
  const undeferIds = new Set([...ids('undefer')].filter((id) => !dispatchIds.has(id)));
  const pick = (set: Set<string>) => rows.filter((r) => set.has(r.value.clusterId));

  const event = (action: string, result: HistoryEvent['result']) => (r: RolloutClusterRecord) => ({
    at,
    action,
    result,
    reason: r.reason,
  });
  const deferred = await writeClusterRowsWithEvent(
    deps,
    pick(deferIds),
    (r) =>
      r.state === 'Pending'
        ? {
            ...r,
            state: 'Deferred',
            reason: 'ClusterOffline',
            message: 'the cluster is not Connected; deferred until it is',
            updatedAt: at,
          }
        : undefined,
    event('ClusterDeferred', 'Skipped'),
  );
  const undeferred = await writeClusterRowsWithEvent(
    deps,
    pick(undeferIds),
    (r) =>
      r.state === 'Deferred'
        ? { ...withoutMessage(r), state: 'Pending', reason: 'ClusterConnected', updatedAt: at }
        : undefined,
    event('DeferralEnded', 'Recorded'),
  );
  summary.deferred = deferred.map((r) => r.clusterId);
  summary.undeferred = undeferred.map((r) => r.clusterId);

  const dispatched = await writeClusterRows(deps, pick(dispatchIds), (r) =>
    r.state === 'Pending' || r.state === 'Deferred'
      ? { ...withoutMessage(r), state: 'InProgress', reason: 'Dispatched', updatedAt: at }
      : undefined,
  );
  for (const row of dispatched) {
    const fields = { rolloutId, wave: row.wave, clusterId: row.clusterId, hop: row.hop };
    try {
      await deps.queue.send(QUEUES.clusterSteps, { rolloutId, clusterId: row.clusterId, hop: row.hop });
      deps.log.info('cluster dispatched', fields);
    } catch (err) {
      // The row is InProgress without an operation: the repair scan re-sends the step later.
      deps.log.error('step message not sent', { ...fields, error: String(err) });
    }
    summary.dispatched.push(row.clusterId);
  }
}

function withoutMessage(r: RolloutClusterRecord): RolloutClusterRecord {
  const copy = { ...r };
  delete copy.message;
  return copy;
}

function logTransitions(
  deps: ServiceDeps,
  rolloutId: string,
  from: RolloutState,
  actions: readonly RolloutAction[],
  to: RolloutState,
): void {
  if (from !== to) deps.log.info('rollout state changed', { rolloutId, from, to });
  for (const a of actions) {
    if (a.kind === 'startWave') deps.log.info('wave started', { rolloutId, wave: a.wave });
    else if (a.kind === 'waveComplete') deps.log.info('wave complete', { rolloutId, wave: a.wave });
    else if (a.kind === 'startSoak')
      deps.log.info('wave soaking', { rolloutId, wave: a.wave, until: a.until });
    else if (a.kind === 'halt') deps.log.warn('rollout halted', { rolloutId, reason: a.reason });
    else if (a.kind === 'waitForWindow')
      deps.log.info('waiting for maintenance window', { rolloutId, until: a.until });
    else if (a.kind === 'done') deps.log.info('rollout finished', { rolloutId, state: a.state });
  }
}

/** Starts the first wave at once; on failure the rollout exists and the timer drives it within a minute. */
export async function firstReconcile(deps: ServiceDeps, id: string): Promise<void> {
  try {
    await reconcileRollout(deps, id);
  } catch (err) {
    deps.log.error('first reconcile of new rollout failed', { rolloutId: id, error: String(err) });
  }
}

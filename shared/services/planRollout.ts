/**
 * The planning worker (queue `rollout-planning`): a fleet-wide rollout started through the API is written
 * `Planning` with no rows (createRollout, `planLater`); this sweeps the fleet, plans it with the rollout's
 * policy snapshot, and writes the cluster rows (each with its `RolloutPlanned` event on it, appended when
 * the hop settles) and the inventory in chunks of 1,000 clusters, recording progress on the rollout
 * (`planning.written` of `total`, ETag-checked) after each; then the rollout becomes `Pending` and is
 * reconciled once, as a synchronous creation would be.
 *
 * Crash-safe by being repeatable: the plan is made at the rollout's `createdAt` instant, and rows are
 * inserted only where absent (insertClusters), so a redelivered message (a worker killed mid-chunk, or a
 * second delivery running beside the first) never overwrites a row or its event. A redelivery sweeps again:
 * a cluster that appeared since is added, rows of a cluster gone since are kept (their plan stands, counted
 * in `clusterCount`).
 * One message plans the whole rollout, because the plan is made from one sweep; its chunks are
 * checkpoints, not messages. A rollout cancelled meanwhile stops the worker, which cancels the rows it wrote.
 * Failures throw: the host retries the message, then poisons it, and `failPlanning` ends the rollout Failed
 * with the reason (never a half-written rollout holding its policy).
 */
import { normalizeId } from '../domain/armId.js';
import { ConcurrencyError } from '../domain/errors.js';
import type { ClusterWorkMessage, PlanningProgress, RolloutRecord, Versioned } from '../domain/records.js';
import { loadRolloutClusters } from './loadRolloutClusters.js';
import { firstReconcile } from './reconcileRollout.js';
import { planRows } from './rolloutPlanRows.js';
import type { ServiceDeps } from './serviceDeps.js';
import { ignored, type StepResult } from './stepResult.js';
import { toInventoryRecord } from './toInventoryRecord.js';
import { writeClusterRowsWithEvent } from './writeClusterRows.js';

export const PLANNING_CHUNK = 1000;

export async function planRollout(deps: ServiceDeps, msg: ClusterWorkMessage): Promise<StepResult> {
  let stored = await deps.rollouts.get(msg.rolloutId);
  if (!stored) return ignored('RolloutNotFound');
  if (stored.value.rollout.state !== 'Planning') return ignored('NotPlanning');
  const { rollout, policy } = stored.value;
  const id = rollout.id;
  const fleet = await deps.fleet.sweep();
  const actor = stored.value.planning?.actor ?? 'api';
  const { rows } = planRows(deps, id, policy, fleet, new Date(rollout.createdAt), actor);
  const planned = new Set(rows.map((r) => normalizeId(r.clusterId)));
  const kept = (await loadRolloutClusters(deps, id)).filter(
    (r) => !planned.has(normalizeId(r.value.clusterId)),
  );
  const total = rows.length + kept.length;

  for (let i = 0; i < Math.max(rows.length, fleet.length); i += PLANNING_CHUNK) {
    const chunk = rows.slice(i, i + PLANNING_CHUNK);
    if (chunk.length > 0) await deps.rollouts.insertClusters(id, chunk);
    const swept = fleet.slice(i, i + PLANNING_CHUNK);
    if (swept.length > 0)
      await deps.inventory.upsertMany(swept.map((c) => toInventoryRecord(c, deps.clock.now())));
    const written = Math.min(rows.length, i + PLANNING_CHUNK) + kept.length;
    const next = await savePlanning(deps, stored, (r) => ({
      ...r,
      planning: progress(r, { total, written }, deps.clock.now()),
    }));
    if (!next) return stopped(deps, id);
    stored = next;
  }
  const now = deps.clock.now().toISOString();
  const done = await savePlanning(deps, stored, (r) => ({
    ...r,
    rollout: { ...r.rollout, state: 'Pending' },
    clusterCount: total,
    planning: progress(r, { total, written: total, finishedAt: now }, deps.clock.now()),
  }));
  if (!done) return stopped(deps, id);
  deps.log.info('rollout planned', { rolloutId: id, policy: policy.name, clusters: total });
  await firstReconcile(deps, id);
  return { outcome: 'done', reason: 'Planned' };
}

/** The poisoned planning message: the rollout ends Failed with the reason, so it holds its policy no more. */
export async function failPlanning(
  deps: ServiceDeps,
  msg: ClusterWorkMessage,
  reason: string,
): Promise<StepResult> {
  const stored = await deps.rollouts.get(msg.rolloutId);
  if (!stored || stored.value.rollout.state !== 'Planning') return ignored('NotPlanning');
  const now = deps.clock.now().toISOString();
  const failed = await savePlanning(deps, stored, (r) => ({
    ...r,
    rollout: { ...r.rollout, state: 'Failed', finishedAt: now },
    planning: progress(r, { finishedAt: now, error: reason }, deps.clock.now()),
  }));
  if (!failed) return ignored('NotPlanning');
  deps.log.error('rollout planning failed', { rolloutId: msg.rolloutId, reason });
  await stopped(deps, msg.rolloutId);
  return { outcome: 'stalled', reason: 'PlanningFailed' };
}

function progress(r: RolloutRecord, change: Partial<PlanningProgress>, now: Date): PlanningProgress {
  return { written: 0, actor: 'api', ...r.planning, ...change, updatedAt: now.toISOString() };
}

/** ETag-checked; re-read on a lost race. Undefined when the rollout is no longer Planning (cancelled). */
async function savePlanning(
  deps: ServiceDeps,
  current: Versioned<RolloutRecord>,
  change: (r: RolloutRecord) => RolloutRecord,
): Promise<Versioned<RolloutRecord> | undefined> {
  let stored: Versioned<RolloutRecord> | undefined = current;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (!stored || stored.value.rollout.state !== 'Planning') return undefined;
    const value = change(stored.value);
    try {
      return { value, etag: await deps.rollouts.update(value, stored.etag) };
    } catch (err) {
      if (!(err instanceof ConcurrencyError)) throw err;
      stored = await deps.rollouts.get(current.value.rollout.id);
    }
  }
  throw new ConcurrencyError(`rollout ${current.value.rollout.id} keeps changing while planning`);
}

/**
 * The rollout left Planning. Cancelled or failed: rows written meanwhile are cancelled, not left Pending.
 * Planned by another delivery of the message (Pending, Running...): nothing to undo.
 */
async function stopped(deps: ServiceDeps, rolloutId: string): Promise<StepResult> {
  const state = (await deps.rollouts.get(rolloutId))?.value.rollout.state;
  if (state !== 'Cancelled' && state !== 'Failed') return ignored('PlannedElsewhere');
  const reason = state === 'Cancelled' ? 'RolloutCancelled' : 'PlanningFailed';
  const at = deps.clock.now().toISOString();
  await writeClusterRowsWithEvent(
    deps,
    await loadRolloutClusters(deps, rolloutId),
    (r) =>
      r.state === 'Pending' || r.state === 'Deferred' || r.state === 'AwaitingApproval'
        ? { ...r, state: 'Cancelled', reason, updatedAt: at }
        : undefined,
    () => ({ at, action: 'RolloutCancelled', result: 'Skipped', reason }),
  );
  return ignored('NotPlanning');
}

/**
 * Starts a rollout of a policy: sweep the fleet, plan, write the rollout and one row per planned cluster
 * (the plan is fixed from then on), refresh the inventory of the swept clusters, record a history event
 * per cluster the rollout will change, and reconcile once so the first wave starts at once.
 *
 * One fleet-wide rollout per policy: an `api` or `schedule` rollout is refused (409
 * `RolloutAlreadyRunning`) while another `api`/`schedule` rollout of the policy is Pending, Running or
 * Paused. Event-driven rollouts (`event`, one cluster each) neither check nor block; a rollout scoped with
 * `clusterIds` does not check either (the record does not keep its scope, so an `api` one scoped to a few
 * clusters still blocks a fleet-wide one until it ends). Overlapping rollouts are safe: the per-cluster
 * lease taken by the workers keeps two operations off one extension.
 */
import type { ClusterInfo } from '../domain/cluster.js';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import { planPolicy } from '../domain/planner.js';
import type { Policy } from '../domain/policy.js';
import type { HistoryEvent, ProtectedSettingsRef, RolloutRecord } from '../domain/records.js';
import { cancelRollout } from '../domain/rolloutCommands.js';
import type { Rollout } from '../domain/rolloutState.js';
import { clusterRowFromPlan, rowHasWork } from './clusterRowFromPlan.js';
import { loadRolloutClusters } from './loadRolloutClusters.js';
import { newRolloutId } from './newRolloutId.js';
import { snapshotProtectedSettings, withoutProtectedValues } from './protectedSettings.js';
import { reconcileRollout } from './reconcileRollout.js';
import type { ServiceDeps } from './serviceDeps.js';
import { toInventoryRecord } from './toInventoryRecord.js';
import { writeClusterRows } from './writeClusterRows.js';
import { normalizeId } from '../domain/armId.js';

export interface CreateRolloutInput {
  policyName: string;
  /** A policy to apply instead of the stored `policyName` (one-off cluster operations build their own). */
  policy?: Policy;
  /** The secret version holding `policy`'s protected settings (when `policy` is a stored one's). */
  protectedSettings?: ProtectedSettingsRef;
  trigger: RolloutRecord['trigger'];
  /** `api:<caller>`, `timer`, `event:<eventId>`: recorded in history. */
  actor: string;
  /** Limit the rollout to these clusters (event-driven and single-cluster rollouts). */
  clusterIds?: readonly string[];
  /** Clusters the caller already swept or read (the timer, an event), to avoid a second sweep; filtered by `clusterIds`. */
  clusters?: readonly ClusterInfo[];
  /** The rollout's id, when the caller needed it first (an event takes the cluster's lease under it). */
  id?: string;
}

/** Whether an active rollout blocks a new fleet-wide one of the same policy. */
export function blocksFleetRollout(record: RolloutRecord, policyName: string): boolean {
  return record.rollout.policy === policyName && record.trigger !== 'event';
}

export async function createRollout(deps: ServiceDeps, input: CreateRolloutInput): Promise<RolloutRecord> {
  const stored = input.policy ? undefined : (await deps.policies.get(input.policyName))?.value;
  const policy = input.policy ?? stored?.policy;
  if (!policy) throw new NotFoundError(`policy ${input.policyName} not found`, 'PolicyNotFound');
  const fleetWide = input.trigger !== 'event' && input.clusterIds === undefined;
  if (fleetWide) {
    const running = (await deps.rollouts.listActive()).find((r) => blocksFleetRollout(r.value, policy.name));
    if (running) {
      throw new ConflictError(
        `rollout ${running.value.rollout.id} of policy ${policy.name} is ${running.value.rollout.state}: cancel it or wait for it to finish`,
        'RolloutAlreadyRunning',
      );
    }
  }
  const fleet = await sweep(deps, input);
  const now = deps.clock.now();
  const plan = planPolicy(policy, fleet, { catalog: deps.catalog, now });
  const id = input.id ?? newRolloutId(now);
  const rows = plan.clusters.map((c) => clusterRowFromPlan(id, c, policy, now));
  const rollout: Rollout = {
    id,
    policy: policy.name,
    state: 'Pending',
    createdAt: now.toISOString(),
    waves: policy.rollout.waves.map((w) => ({
      name: w.name,
      maxParallel: w.maxParallel,
      soakMinutes: w.soakMinutes,
    })),
    currentWave: 0,
    maxFailurePercent: policy.rollout.maxFailurePercent,
  };
  if (policy.rollout.maintenanceWindow) rollout.maintenanceWindow = { ...policy.rollout.maintenanceWindow };
  const secret = input.protectedSettings ?? stored?.protectedSettings;
  const protectedSettings = await snapshotProtectedSettings(deps, policy, secret, id);
  const record: RolloutRecord = {
    rollout,
    policy: withoutProtectedValues(policy),
    ...(protectedSettings ? { protectedSettings } : {}),
    trigger: input.trigger,
    clusterCount: rows.length,
  };
  await deps.rollouts.create(record, rows);
  if (fleetWide) await refuseIfRaced(deps, record);
  deps.log.info('rollout created', {
    rolloutId: id,
    policy: policy.name,
    trigger: input.trigger,
    clusters: rows.length,
    install: plan.summary.install,
    upgrade: plan.summary.upgrade,
    reconfigure: plan.summary.reconfigure,
  });

  await deps.inventory.upsertMany(fleet.map((c) => toInventoryRecord(c, now)));
  const at = now.toISOString();
  const events = rows.filter(rowHasWork).map((r): HistoryEvent => ({
    clusterId: r.clusterId,
    at,
    actor: input.actor,
    action: 'RolloutPlanned',
    from: r.from,
    to: r.to,
    result: 'Recorded',
    reason: r.reason,
    ...(r.message !== undefined ? { message: r.message } : {}),
    rolloutId: id,
  }));
  if (events.length > 0) await deps.history.append(events);
  try {
    await reconcileRollout(deps, id);
  } catch (err) {
    // The rollout exists; the timer drives it within a minute.
    deps.log.error('first reconcile of new rollout failed', { rolloutId: id, error: String(err) });
  }
  return (await deps.rollouts.get(id))?.value ?? record;
}

/**
 * Two fleet-wide rollouts of one policy created at the same moment both pass the check above. Once ours
 * is written, the one with the smaller (earlier) id wins: a later one cancels itself and answers 409, so
 * a double-clicked POST leaves one rollout running.
 */
async function refuseIfRaced(deps: ServiceDeps, record: RolloutRecord): Promise<void> {
  const mine = record.rollout;
  const earlier = (await deps.rollouts.listActive()).find(
    (r) => blocksFleetRollout(r.value, mine.policy) && r.value.rollout.id < mine.id,
  );
  if (!earlier) return;
  const stored = await deps.rollouts.get(mine.id);
  if (stored) {
    const now = deps.clock.now();
    const cancelled = cancelRollout(stored.value.rollout, [], now).rollout;
    await deps.rollouts.update({ ...stored.value, rollout: cancelled }, stored.etag);
    const rows = await loadRolloutClusters(deps, mine.id);
    await writeClusterRows(deps, rows, (r) =>
      r.state === 'InProgress' || r.state === 'Skipped'
        ? undefined
        : { ...r, state: 'Cancelled', reason: 'DuplicateRollout', updatedAt: now.toISOString() },
    );
  }
  deps.log.warn('duplicate rollout cancelled', {
    rolloutId: mine.id,
    policy: mine.policy,
    kept: earlier.value.rollout.id,
  });
  throw new ConflictError(
    `rollout ${earlier.value.rollout.id} of policy ${mine.policy} started at the same time; this one was cancelled`,
    'RolloutAlreadyRunning',
  );
}

async function sweep(deps: ServiceDeps, input: CreateRolloutInput): Promise<ClusterInfo[]> {
  const wanted = input.clusterIds && new Set(input.clusterIds.map((i) => i.toLowerCase()));
  if (input.clusters) return input.clusters.filter((c) => !wanted || wanted.has(normalizeId(c.id)));
  return deps.fleet.sweep(input.clusterIds ? { clusterIds: input.clusterIds } : undefined);
}

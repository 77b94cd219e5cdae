/**
 * What a rollout is made of, shared by the synchronous creation (createRollout: scoped, event and timer
 * rollouts) and the planning worker (planRollout: fleet-wide rollouts started through the API): the record
 * and the planned cluster rows with their `RolloutPlanned` events. Built from the plan's instant only, so the
 * planning worker, redelivered, builds the very same rows and events (the events carry `seq` 0: appended
 * again, they replace themselves).
 */
import type { ClusterInfo } from '../domain/cluster.js';
import { planPolicy, type Plan } from '../domain/planner.js';
import type { Policy } from '../domain/policy.js';
import type { RolloutClusterRecord, RowHistoryEvent } from '../domain/records.js';
import type { Rollout, RolloutState } from '../domain/rolloutState.js';
import { clusterRowFromPlan, rowHasWork } from './clusterRowFromPlan.js';
import type { ServiceDeps } from './serviceDeps.js';

export function newRollout(id: string, policy: Policy, state: RolloutState, now: Date): Rollout {
  const rollout: Rollout = {
    id,
    policy: policy.name,
    state,
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
  return rollout;
}

/**
 * The rollout's cluster rows; a row with work carries its `RolloutPlanned` event as its outbox (`lastEvent`,
 * `seq` 0), appended with the hop's other events when the row settles (shared/domain/clusterHop/rowEvents.ts).
 */
export function planRows(
  deps: Pick<ServiceDeps, 'catalog'>,
  id: string,
  policy: Policy,
  fleet: readonly ClusterInfo[],
  now: Date,
  actor: string,
): { plan: Plan; rows: RolloutClusterRecord[] } {
  const plan = planPolicy(policy, fleet, { catalog: deps.catalog, now });
  const rows = plan.clusters.map((c) => {
    const row = clusterRowFromPlan(id, c, policy, now);
    return rowHasWork(row) ? { ...row, lastEvent: plannedEvent(row, now.toISOString(), actor, id) } : row;
  });
  return { plan, rows };
}

function plannedEvent(
  row: RolloutClusterRecord,
  at: string,
  actor: string,
  rolloutId: string,
): RowHistoryEvent {
  return {
    at,
    ...(actor !== `rollout:${rolloutId}` ? { actor } : {}),
    action: 'RolloutPlanned',
    from: row.from,
    to: row.to,
    result: 'Recorded',
    reason: row.reason,
    ...(row.message !== undefined ? { message: row.message } : {}),
    seq: 0,
  };
}

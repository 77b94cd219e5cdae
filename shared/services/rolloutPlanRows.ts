/**
 * What a rollout is made of, shared by the synchronous creation (createRollout: scoped, event and timer
 * rollouts) and the planning worker (planRollout: fleet-wide rollouts started through the API): the record,
 * the planned cluster rows and their `RolloutPlanned` history events. Built from the plan's instant only, so
 * the planning worker, redelivered, builds the very same rows and events (the events carry `seq` 0: appended
 * again, they replace themselves).
 */
import type { ClusterInfo } from '../domain/cluster.js';
import { planPolicy, type Plan } from '../domain/planner.js';
import type { Policy } from '../domain/policy.js';
import type { HistoryEvent, RolloutClusterRecord } from '../domain/records.js';
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

export function planRows(
  deps: Pick<ServiceDeps, 'catalog'>,
  id: string,
  policy: Policy,
  fleet: readonly ClusterInfo[],
  now: Date,
): { plan: Plan; rows: RolloutClusterRecord[] } {
  const plan = planPolicy(policy, fleet, { catalog: deps.catalog, now });
  return { plan, rows: plan.clusters.map((c) => clusterRowFromPlan(id, c, policy, now)) };
}

export function plannedEvents(
  rows: readonly RolloutClusterRecord[],
  at: string,
  actor: string,
  rolloutId: string,
): HistoryEvent[] {
  return rows.filter(rowHasWork).map((r): HistoryEvent => ({
    clusterId: r.clusterId,
    at,
    actor,
    action: 'RolloutPlanned',
    from: r.from,
    to: r.to,
    result: 'Recorded',
    reason: r.reason,
    ...(r.message !== undefined ? { message: r.message } : {}),
    rolloutId,
    seq: 0,
  }));
}

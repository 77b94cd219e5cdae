/**
 * The cluster row a rollout starts with, from the plan's verdict on that cluster (the contract with the
 * cluster workers): work -> Pending; a CRD hop held for approval -> AwaitingApproval; an offline cluster
 * -> Deferred; every other skip and noChange -> Skipped, with the plan's reason and message.
 */
import type { ClusterPlan } from '../domain/planner.js';
import type { Policy } from '../domain/policy.js';
import type { RolloutClusterRecord } from '../domain/records.js';
import type { ClusterState } from '../domain/rolloutState.js';
import { normalizeId } from '../domain/armId.js';

function initialState(plan: ClusterPlan): ClusterState {
  if (plan.action === 'install' || plan.action === 'upgrade' || plan.action === 'reconfigure')
    return 'Pending';
  if (plan.action === 'skip' && plan.reason === 'AwaitingCrdApproval') return 'AwaitingApproval';
  if (plan.action === 'skip' && plan.reason === 'ClusterOffline') return 'Deferred';
  return 'Skipped';
}

/** Whether the row will (or may, once online / approved) change the cluster. */
export function rowHasWork(row: Pick<RolloutClusterRecord, 'state'>): boolean {
  return row.state === 'Pending' || row.state === 'AwaitingApproval' || row.state === 'Deferred';
}

export function clusterRowFromPlan(
  rolloutId: string,
  plan: ClusterPlan,
  policy: Policy,
  now: Date,
): RolloutClusterRecord {
  const hasWork = plan.pendingAction !== undefined;
  const path = hasWork && plan.path.length === 0 ? [plan.to] : [...plan.path];
  const crdStepHops =
    policy.rollout.crdUpgrades === 'allow' ? [] : plan.hops.flatMap((h, i) => (h.needsCrdStep ? [i] : []));
  const row: RolloutClusterRecord = {
    rolloutId,
    clusterId: normalizeId(plan.id),
    clusterName: plan.name,
    wave: plan.waveIndex ?? -1,
    state: initialState(plan),
    plannedAction: plan.action,
    extensionName: plan.extensionName,
    distribution: plan.distribution,
    from: plan.from,
    to: plan.to,
    path,
    hop: 0,
    crdStepHops,
    approved: false,
    attempts: 0,
    reason: plan.reason,
    monitor: 'NotRequested',
    updatedAt: now.toISOString(),
  };
  if (plan.message !== undefined) row.message = plan.message;
  return row;
}

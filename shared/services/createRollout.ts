/**
 * Starts a rollout of a policy: sweep the fleet, plan, write the rollout and one row per planned cluster
 * (the plan is fixed from then on), refresh the inventory of the swept clusters, record a history event
 * per cluster the rollout will change, and reconcile once so the first wave starts at once.
 *
 * One fleet-wide rollout per policy: an `api` or `schedule` rollout is refused (409
 * `RolloutAlreadyRunning`) while another `api`/`schedule` rollout of the policy is Pending, Running or
 * Paused. The guard is the policy's lock row (policyLock.ts), taken with a conditional insert before the
 * sweep: of concurrent requests one wins and the others answer 409 having written nothing. Event-driven
 * rollouts (`event`, one cluster each) neither check nor block; a rollout scoped with `clusterIds` does not
 * check either (the record does not keep its scope, so an `api` one scoped to a few clusters still blocks a
 * fleet-wide one until it ends). Overlapping rollouts are safe: the per-cluster lease taken by the workers
 * keeps two operations off one extension.
 */
import type { ClusterInfo } from '../domain/cluster.js';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import type { Policy } from '../domain/policy.js';
import type { ProtectedSettingsRef, RolloutRecord, StoredPolicy } from '../domain/records.js';
import { QUEUES } from '../domain/records.js';
import { newRolloutId } from './newRolloutId.js';
import { takePolicyLock } from './policyLock.js';
import { snapshotProtectedSettings, withoutProtectedValues } from './protectedSettings.js';
import { planningMessage } from './planningMessage.js';
import { firstReconcile } from './reconcileRollout.js';
import { newRollout, planRows } from './rolloutPlanRows.js';
import type { ServiceDeps } from './serviceDeps.js';
import { toInventoryRecord } from './toInventoryRecord.js';
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
  /**
   * Fleet-wide rollouts only: write the rollout `Planning` and leave the sweep, plan and rows to the
   * planning worker (planRollout.ts), so the caller (an HTTP request) answers at once whatever the fleet size.
   */
  planLater?: boolean;
}

/** Whether an active rollout blocks a new fleet-wide one of the same policy. */
export function blocksFleetRollout(record: RolloutRecord, policyName: string): boolean {
  return record.rollout.policy === policyName && record.trigger !== 'event';
}

export async function createRollout(deps: ServiceDeps, input: CreateRolloutInput): Promise<RolloutRecord> {
  const stored = input.policy ? undefined : (await deps.policies.get(input.policyName))?.value;
  const policy = input.policy ?? stored?.policy;
  if (!policy) throw new NotFoundError(`policy ${input.policyName} not found`, 'PolicyNotFound');
  const id = input.id ?? newRolloutId(deps.clock.now());
  const fleetWide = input.trigger !== 'event' && input.clusterIds === undefined;
  if (!fleetWide) return writeRollout(deps, input, policy, stored, id);
  const lock = await takePolicyLock(deps, policy.name, id);
  try {
    // Active rollouts the lock does not cover: a scoped `api` one, or one created before the lock existed.
    const running = (await deps.rollouts.listActive()).find((r) => blocksFleetRollout(r.value, policy.name));
    if (running) {
      throw new ConflictError(
        `rollout ${running.value.rollout.id} of policy ${policy.name} is ${running.value.rollout.state}: cancel it or wait for it to finish`,
        'RolloutAlreadyRunning',
      );
    }
    return await writeRollout(deps, input, policy, stored, id);
  } catch (err) {
    // The rollout row is written last: without it nothing holds the policy (the check above still guards
    // a lock released wrongly because this read failed).
    if (!(await deps.rollouts.get(id).catch(() => undefined))) await lock.release();
    throw err;
  }
}

async function writeRollout(
  deps: ServiceDeps,
  input: CreateRolloutInput,
  policy: Policy,
  stored: StoredPolicy | undefined,
  id: string,
): Promise<RolloutRecord> {
  const planLater = input.planLater === true && input.trigger !== 'event' && input.clusterIds === undefined;
  const fleet = planLater ? [] : await sweep(deps, input);
  const now = deps.clock.now();
  const { plan, rows } = planRows(deps, id, policy, fleet, now, input.actor);
  const secret = input.protectedSettings ?? stored?.protectedSettings;
  const protectedSettings = await snapshotProtectedSettings(deps, policy, secret, id);
  const record: RolloutRecord = {
    rollout: newRollout(id, policy, planLater ? 'Planning' : 'Pending', now),
    policy: withoutProtectedValues(policy),
    ...(protectedSettings ? { protectedSettings } : {}),
    trigger: input.trigger,
    clusterCount: rows.length,
    ...(planLater ? { planning: { written: 0, updatedAt: now.toISOString(), actor: input.actor } } : {}),
  };
  if (planLater) {
    await deps.rollouts.create(record, []);
    // A lost send leaves the rollout Planning: the timer re-sends it once it stalls (reconcileRollout).
    await deps.queue.send(QUEUES.rolloutPlanning, planningMessage(id));
    deps.log.info('rollout created, planning queued', { rolloutId: id, policy: policy.name });
    return record;
  }
  await deps.rollouts.create(record, rows);
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
  await firstReconcile(deps, id);
  return (await deps.rollouts.get(id))?.value ?? record;
}

async function sweep(deps: ServiceDeps, input: CreateRolloutInput): Promise<ClusterInfo[]> {
  const wanted = input.clusterIds && new Set(input.clusterIds.map((i) => i.toLowerCase()));
  if (input.clusters) return input.clusters.filter((c) => !wanted || wanted.has(normalizeId(c.id)));
  return deps.fleet.sweep(input.clusterIds ? { clusterIds: input.clusterIds } : undefined);
}

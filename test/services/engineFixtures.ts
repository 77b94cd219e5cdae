// Builders for the rollout engine tests: policies in the fake store, fleets in the FakeArm, a fake worker.
import type { ClusterInfo } from '../../shared/domain/cluster.js';
import { planPolicy } from '../../shared/domain/planner.js';
import type { Policy, PolicyInput } from '../../shared/domain/policy.js';
import { parsePolicy } from '../../shared/domain/policy.js';
import type { RolloutClusterRecord } from '../../shared/domain/records.js';
import { QUEUES } from '../../shared/domain/records.js';
import type { ClusterState } from '../../shared/domain/rolloutState.js';
import { clusterRowFromPlan } from '../../shared/services/clusterRowFromPlan.js';
import { reconcileRollout } from '../../shared/services/reconcileRollout.js';
import type { FakeDeps } from '../fakes/fakeDeps.js';
import { fakeDeps } from '../fakes/fakeDeps.js';
import { SUB_A, cluster, osm } from '../domain/fixtures.js';

export { SUB_A, cluster, osm };

export const STRICT = { 'osm.osm.enablePermissiveTrafficPolicy': 'false' };

export function policyInput(rollout: object = {}, over: Partial<PolicyInput> = {}): PolicyInput {
  return {
    osm: { version: '1.2.6', configurationSettings: STRICT },
    rollout: { waves: [{ name: 'all', percent: 100, maxParallel: 3 }], ...rollout },
    ...over,
  };
}

export async function seedPolicy(deps: FakeDeps, name: string, input: PolicyInput, updatedAt?: string) {
  const policy = parsePolicy(name, input);
  const at = updatedAt ?? deps.clock.now().toISOString();
  await deps.policies.put({ policy, createdAt: at, updatedAt: at });
  return policy;
}

/** `n` connected clusters without OSM, `prefix-00`... */
export function installFleet(deps: FakeDeps, prefix: string, n: number): ClusterInfo[] {
  const out = Array.from({ length: n }, (_, i) => cluster(`${prefix}-${String(i).padStart(2, '0')}`));
  out.forEach((c) => deps.arm.addCluster(c));
  return out;
}

export function newDeps() {
  return fakeDeps();
}

export async function rows(deps: FakeDeps, rolloutId: string): Promise<RolloutClusterRecord[]> {
  return (await deps.rollouts.listClusters(rolloutId, undefined, { top: 100_000 })).items.map((r) => r.value);
}

export async function row(
  deps: FakeDeps,
  rolloutId: string,
  clusterId: string,
): Promise<RolloutClusterRecord> {
  const r = await deps.rollouts.getCluster(rolloutId, clusterId);
  if (!r) throw new Error(`no row ${clusterId}`);
  return r.value;
}

export async function statesOf(deps: FakeDeps, rolloutId: string): Promise<Record<string, ClusterState>> {
  return Object.fromEntries(
    (await rows(deps, rolloutId)).map((r) => [r.clusterId.split('/').pop(), r.state]),
  );
}

/** Sets a row's fields with its ETag, as a worker would. */
export async function patchRow(
  deps: FakeDeps,
  rolloutId: string,
  clusterId: string,
  patch: Partial<RolloutClusterRecord>,
): Promise<void> {
  const current = await deps.rollouts.getCluster(rolloutId, clusterId);
  if (!current) throw new Error(`no row ${clusterId}`);
  await deps.rollouts.updateCluster({ ...current.value, ...patch }, current.etag);
}

/**
 * A stand-in for the cluster workers: takes every step message sent so far, settles the row (Succeeded
 * unless `fails` says Failed) and frees the slot by reconciling, as `onSlotFreed` does. Returns the ids
 * settled. Asserts the contract: a message is only ever sent for a row already InProgress at that hop.
 */
export async function workerPass(
  deps: FakeDeps,
  fails: (clusterId: string) => boolean = () => false,
): Promise<string[]> {
  const settled: string[] = [];
  for (const { message } of deps.queue.drain(QUEUES.clusterSteps)) {
    const current = await row(deps, message.rolloutId, message.clusterId);
    if (current.state !== 'InProgress' || current.hop !== message.hop)
      throw new Error(`step message for ${message.clusterId} in state ${current.state}`);
    const failed = fails(message.clusterId);
    await patchRow(deps, message.rolloutId, message.clusterId, {
      state: failed ? 'Failed' : 'Succeeded',
      reason: failed ? 'ExtensionOperationFailed' : 'InstallSucceeded',
      attempts: current.attempts + 1,
      hopAttempts: (current.hopAttempts ?? 0) + 1,
      updatedAt: deps.clock.now().toISOString(),
    });
    settled.push(message.clusterId);
    await reconcileRollout(deps, message.rolloutId, undefined, { repairLostMessages: false });
  }
  return settled;
}

export const stepMessages = (deps: FakeDeps) =>
  deps.queue.sent.filter((m) => m.queue === QUEUES.clusterSteps).map((m) => m.message);

/** Writes a Pending rollout of `policy` over the fake fleet, without reconciling it (for race tests). */
export async function plantRollout(deps: FakeDeps, policy: Policy, id = 'r1'): Promise<string> {
  const now = deps.clock.now();
  const plan = planPolicy(policy, await deps.fleet.sweep(), { catalog: deps.catalog, now });
  const rowsOf = plan.clusters.map((c) => clusterRowFromPlan(id, c, policy, now));
  await deps.rollouts.create(
    {
      rollout: {
        id,
        policy: policy.name,
        state: 'Pending',
        createdAt: now.toISOString(),
        waves: policy.rollout.waves.map(({ name, maxParallel, soakMinutes }) => ({
          name,
          maxParallel,
          soakMinutes,
        })),
        currentWave: 0,
        maxFailurePercent: policy.rollout.maxFailurePercent,
      },
      policy,
      trigger: 'api',
      clusterCount: rowsOf.length,
    },
    rowsOf,
  );
  return id;
}

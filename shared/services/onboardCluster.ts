/**
 * Onboards one Connected cluster with the first `autoOnboard` policy (by name) whose target takes it, as a
 * single-cluster rollout: the event path, the connect-watch and the sweep's safety net all end here. A
 * cluster already worked on by an active rollout is left alone (no second PUT); concurrent callers race
 * for the cluster's lease, taken under the new rollout's id before the rollout exists, so only one creates
 * it. The decision (rollout or why not) is marked on the inventory row (`onboarding`), which ends any
 * connect-watch of the cluster and keeps the sweep from deciding again.
 */
import type { ClusterInfo } from '../domain/cluster.js';
import { isExcluded, matchesTarget } from '../domain/matchesTarget.js';
import { planPolicy } from '../domain/planner.js';
import type { Policy } from '../domain/policy.js';
import type { RolloutClusterRecord, StoredPolicy, Versioned } from '../domain/records.js';
import { releaseClusterLease, takeClusterLease } from './clusterLease.js';
import { createRollout } from './createRollout.js';
import { newRolloutId } from './newRolloutId.js';
import { markDecided } from './onboardingMark.js';
import type { ServiceDeps } from './serviceDeps.js';

export interface OnboardOutcome {
  outcome: 'onboarding' | 'noAction';
  reason: string;
  rolloutId?: string;
}

const OPEN_STATES = new Set(['Pending', 'InProgress', 'Deferred', 'AwaitingApproval']);

/** `cluster` as ARM reported it just now, with its extensions. `actor`: `event:<id>` or `timer`. */
export async function onboardCluster(
  deps: ServiceDeps,
  cluster: ClusterInfo,
  actor: string,
  policies?: readonly StoredPolicy[],
): Promise<OnboardOutcome> {
  const policy = firstAutoOnboardPolicy(deps, policies ?? (await autoOnboardPolicies(deps)), cluster)?.policy;
  if (!policy) return decided(deps, cluster, { outcome: 'noAction', reason: 'NoAutoOnboardPolicy' });
  const open = await openRows(deps, cluster.id);
  if (open.length)
    return decided(deps, cluster, {
      outcome: 'noAction',
      reason: 'AlreadyInRollout',
      rolloutId: open[0]!.value.rolloutId,
    });
  const plan = planPolicy(policy, [cluster], { catalog: deps.catalog, now: deps.clock.now() });
  const action = plan.clusters[0]?.action;
  if (action !== 'install' && action !== 'upgrade' && action !== 'reconfigure')
    return decided(deps, cluster, { outcome: 'noAction', reason: plan.clusters[0]?.reason ?? 'NotTargeted' });
  const rolloutId = newRolloutId(deps.clock.now());
  const lease = await takeClusterLease(deps, cluster, rolloutId);
  if (!lease.taken) return { outcome: 'noAction', reason: 'AlreadyInRollout' };
  let rollout;
  try {
    rollout = await createRollout(deps, {
      policyName: policy.name,
      trigger: 'event',
      actor,
      clusterIds: [cluster.id],
      clusters: [cluster],
      id: rolloutId,
    });
  } catch (err) {
    await releaseClusterLease(deps, cluster.id, rolloutId);
    throw err;
  }
  const reason = plan.clusters[0]?.reason ?? 'NotInstalled';
  return decided(deps, cluster, { outcome: 'onboarding', reason, rolloutId: rollout.rollout.id });
}

async function decided(
  deps: ServiceDeps,
  cluster: ClusterInfo,
  outcome: OnboardOutcome,
): Promise<OnboardOutcome> {
  await markDecided(deps, cluster.id, outcome.reason, outcome.rolloutId);
  return outcome;
}

/** Every stored policy with `autoOnboard: true`. */
export async function autoOnboardPolicies(deps: ServiceDeps): Promise<StoredPolicy[]> {
  const out: StoredPolicy[] = [];
  let token: string | undefined;
  do {
    const page = await deps.policies.list({ top: 1000, ...(token ? { continuationToken: token } : {}) });
    for (const p of page.items) if (p.value.policy.autoOnboard) out.push(p.value);
    token = page.continuationToken;
  } while (token);
  return out;
}

/** The autoOnboard policy for a cluster: the first by name among those whose target takes it. */
export function firstAutoOnboardPolicy(
  deps: Pick<ServiceDeps, 'log'>,
  policies: readonly StoredPolicy[],
  cluster: ClusterInfo,
): StoredPolicy | undefined {
  const matching = policies
    .filter((p) => isTargeted(p.policy, cluster))
    .sort((a, b) => (a.policy.name < b.policy.name ? -1 : 1));
  if (matching.length > 1)
    deps.log.warn('several autoOnboard policies match a cluster; applying the first by name', {
      clusterId: cluster.id,
      policies: matching.map((p) => p.policy.name),
    });
  return matching[0];
}

function isTargeted(policy: Policy, cluster: ClusterInfo): boolean {
  return policy.autoOnboard && matchesTarget(policy.target, cluster) && !isExcluded(policy.target, cluster);
}

/** Point reads of the cluster's row in the active rollouts issued at once: events onboarding clusters
 * one by one keep one single-cluster rollout active per cluster in flight, hundreds when many connect. */
const READS_AT_ONCE = 25;

/** Rows of active rollouts in which this cluster still has work open. */
export async function openRows(
  deps: ServiceDeps,
  clusterId: string,
): Promise<Versioned<RolloutClusterRecord>[]> {
  const rows: Versioned<RolloutClusterRecord>[] = [];
  const active = await deps.rollouts.listActive();
  for (let i = 0; i < active.length; i += READS_AT_ONCE) {
    const found = await Promise.all(
      active
        .slice(i, i + READS_AT_ONCE)
        .map((r) => deps.rollouts.getCluster(r.value.rollout.id, clusterId.toLowerCase())),
    );
    for (const row of found) if (row && OPEN_STATES.has(row.value.state)) rows.push(row);
  }
  return rows;
}

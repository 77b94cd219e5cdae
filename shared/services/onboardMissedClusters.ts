/**
 * The sweep's safety net for lost or dead-lettered events (and watches that ended): each timer pass, a
 * cluster of the sweep that is Connected, has no OSM, and whose first `autoOnboard` policy would install
 * is a candidate unless its onboarding was already decided (`onboarding.state === 'Decided'` on its
 * inventory row). A candidate is read from ARM (the truth, and the only source of its creation time,
 * `systemData.createdAt`) and onboarded when `sweepOnboardVerdict` says it is new since the policy took
 * effect (`autoOnboardSince`) and the fleet manager never acted on it; otherwise the refusal is marked so
 * it is not read again. At most MAX_ARM_READS candidates are read per pass (the rest wait a pass).
 */
import type { ClusterInfo } from '../domain/cluster.js';
import { osmExtensions } from '../domain/cluster.js';
import { sweepOnboardVerdict } from '../domain/connectWatch.js';
import { planPolicy } from '../domain/planner.js';
import type { StoredPolicy } from '../domain/records.js';
import {
  autoOnboardPolicies,
  firstAutoOnboardPolicy,
  onboardCluster,
  type OnboardOutcome,
} from './onboardCluster.js';
import { markDecided } from './onboardingMark.js';
import type { ServiceDeps } from './serviceDeps.js';

export const MAX_ARM_READS = 50;
const AT_ONCE = 10;

export interface MissedOnboarding {
  clusterId: string;
  outcome: OnboardOutcome['outcome'] | 'declined';
  reason: string;
  rolloutId?: string;
}

export async function onboardMissedClusters(
  deps: ServiceDeps,
  fleet: readonly ClusterInfo[],
): Promise<MissedOnboarding[]> {
  const policies = await autoOnboardPolicies(deps);
  if (policies.length === 0) return [];
  const candidates: { cluster: ClusterInfo; policy: StoredPolicy }[] = [];
  for (const cluster of fleet) {
    if (cluster.connectivity !== 'Connected' || osmExtensions(cluster).length > 0) continue;
    const policy = firstAutoOnboardPolicy(quiet, policies, cluster);
    if (!policy) continue;
    const plan = planPolicy(policy.policy, [cluster], { catalog: deps.catalog, now: deps.clock.now() });
    if (plan.clusters[0]?.action === 'install') candidates.push({ cluster, policy });
  }
  const undecided: typeof candidates = [];
  for (let i = 0; i < candidates.length; i += AT_ONCE) {
    const rows = await Promise.all(
      candidates.slice(i, i + AT_ONCE).map((c) => deps.inventory.get(c.cluster.id.toLowerCase())),
    );
    rows.forEach((row, j) => {
      const c = candidates[i + j]!;
      if (row?.value.removedAt || row?.value.onboarding?.state === 'Decided') return;
      undecided.push(c);
    });
  }
  const out: MissedOnboarding[] = [];
  const batch = undecided.slice(0, MAX_ARM_READS);
  for (let i = 0; i < batch.length; i += AT_ONCE)
    out.push(...(await Promise.all(batch.slice(i, i + AT_ONCE).map((c) => consider(deps, c, policies)))));
  const considered = out.filter((o) => o.outcome !== 'noAction' || o.reason !== 'NotConnected');
  if (considered.length || undecided.length > batch.length)
    deps.log.info('sweep onboarding considered', {
      candidates: undecided.length,
      onboarded: out.filter((o) => o.outcome === 'onboarding').length,
      deferredToNextPass: undecided.length - batch.length,
    });
  return out;
}

async function consider(
  deps: ServiceDeps,
  c: { cluster: ClusterInfo; policy: StoredPolicy },
  policies: readonly StoredPolicy[],
): Promise<MissedOnboarding> {
  const clusterId = c.cluster.id;
  const cluster = await deps.arm.getCluster(clusterId);
  if (!cluster || cluster.connectivity !== 'Connected')
    return { clusterId, outcome: 'noAction', reason: cluster ? 'NotConnected' : 'ClusterNotFound' };
  const newest = (await deps.history.list(clusterId.toLowerCase(), { top: 1 })).items[0]?.at;
  const verdict = sweepOnboardVerdict({
    createdAt: cluster.createdAt,
    policySince: c.policy.autoOnboardSince ?? c.policy.updatedAt,
    newestHistoryAt: newest,
  });
  if (verdict.kind === 'decline') {
    await markDecided(deps, clusterId, verdict.reason);
    return { clusterId, outcome: 'declined', reason: verdict.reason };
  }
  const r = await onboardCluster(deps, cluster, 'timer', policies);
  deps.log.info('cluster onboarded by the sweep', { clusterId, ...r });
  return { clusterId, ...r };
}

/** The candidates' policy choice is logged once by onboardCluster, not on every pass. */
const quiet = { log: { info() {}, warn() {}, error() {} } };

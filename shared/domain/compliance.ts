/**
 * Fleet compliance of one policy: each targeted cluster (target matched, not excluded) put in exactly one
 * class, from what the last sweep saw and the last rollout of the policy. Pure: the planner's verdict for
 * the cluster (planCluster) is reused, so compliance and `plan` never disagree. Precedence:
 *   compliant    the plan has nothing to do (version, pinning and every policy setting in effect) and the
 *                extension's provisioning has settled (Succeeded; Creating or Updating is `other`);
 *   failed       the policy's last rollout left the cluster's row Failed (and it is not compliant now), or
 *                the OSM extension reports provisioningState Failed (never compliant, whatever its version);
 *   notEligible  unsupported distribution, expired identity, or offline with work pending;
 *   missing      no OSM extension;
 *   behind       older version (with the hop path; also held for CRD approval or a refused major upgrade);
 *   drifted      at the target version, but a policy setting differs (changed out of band) or the version
 *                is no longer pinned (`autoUpgradeMinorVersion`);
 *   other        what no class above describes (duplicate OSM extensions, unknown or newer version).
 * Only `configurationSettings` compare: protected settings cannot be read back from ARM or Resource Graph.
 */
import { stableHash } from './assignWaves.js';
import type { ClusterInfo } from './cluster.js';
import { osmExtensions } from './cluster.js';
import { isExcluded, matchesTarget } from './matchesTarget.js';
import type { OsmCatalog } from './osmCatalog.js';
import type { PathFor } from './planCluster.js';
import { planCluster } from './planCluster.js';
import type { Policy } from './policy.js';

export const COMPLIANCE_STATUSES = [
  'compliant',
  'drifted',
  'behind',
  'missing',
  'notEligible',
  'failed',
  'other',
] as const;
export type ComplianceStatus = (typeof COMPLIANCE_STATUSES)[number];

/** A setting whose value on the cluster is not the policy's (`current` null: the key is not set). */
export interface DriftedSetting {
  key: string;
  current: string | null;
  desired: string;
}

export interface ClusterCompliance {
  id: string;
  name: string;
  subscriptionId: string;
  status: ComplianceStatus;
  /** PascalCase: the plan's reason, or the failed row's reason. */
  reason: string;
  message?: string;
  connectivity: string;
  distribution: string;
  version: string | null;
  targetVersion: string;
  /** Versions still to pass through (behind). */
  path: string[];
  /** Settings not as the policy says (drifted; also listed for other classes when known). */
  drift: DriftedSetting[];
  /** The rollout whose row failed (failed). */
  rolloutId?: string;
}

/** The last rollout row of a cluster under the policy, when it failed. */
export interface FailedRow {
  rolloutId: string;
  reason: string;
  message?: string;
}

const NOT_ELIGIBLE = new Set(['UnsupportedDistribution', 'ClusterExpired', 'ClusterOffline']);
export const UNPINNED_SETTING = 'autoUpgradeMinorVersion';

/** The class of one cluster under `policy`; undefined when the policy does not target it. */
export function classifyCompliance(
  policy: Policy,
  cluster: ClusterInfo,
  catalog: OsmCatalog,
  pathFor: PathFor,
  failed?: FailedRow,
): ClusterCompliance | undefined {
  if (!matchesTarget(policy.target, cluster) || isExcluded(policy.target, cluster)) return undefined;
  const plan = planCluster(policy, cluster, catalog, pathFor);
  const osm = osmExtensions(cluster)[0];
  const drift: DriftedSetting[] = plan.settingsChanges
    .filter((c) => c.origin !== 'translated')
    .map((c) => ({ key: c.key, current: c.from, desired: c.to }));
  if (osm && osm.autoUpgradeMinorVersion !== false && plan.path.length === 0)
    drift.push({
      key: UNPINNED_SETTING,
      current: String(osm.autoUpgradeMinorVersion ?? true),
      desired: 'false',
    });
  const base: ClusterCompliance = {
    id: cluster.id,
    name: cluster.name,
    subscriptionId: cluster.subscriptionId.toLowerCase(),
    status: 'other',
    reason: plan.reason,
    ...(plan.message ? { message: plan.message } : {}),
    connectivity: cluster.connectivity,
    distribution: cluster.distribution,
    version: osm?.version ?? null,
    targetVersion: policy.osm.version,
    path: [],
    drift,
  };
  const as = (status: ComplianceStatus, over: Partial<ClusterCompliance> = {}) =>
    Object.assign(base, { status }, over);

  const provisioning = osm?.provisioningState.toLowerCase();
  const broken = provisioning === 'failed';
  // Failed, or an operation in flight (Creating, Updating...) that has not reached the version it shows yet.
  const settled = provisioning === undefined || provisioning === 'succeeded';
  if (plan.action === 'noChange' && settled) return as('compliant', { drift: [] });
  if (failed)
    return as('failed', {
      reason: failed.reason,
      rolloutId: failed.rolloutId,
      ...(failed.message ? { message: failed.message } : {}),
    });
  if (broken && osm)
    return as('failed', {
      reason: 'ProvisioningFailed',
      message: `the OSM extension "${osm.name}" reports provisioningState Failed`,
    });
  if (plan.action === 'noChange' && osm)
    return as('other', {
      reason: 'OperationInProgress',
      message: `the OSM extension "${osm.name}" reports provisioningState ${osm.provisioningState}: not settled yet`,
    });
  if (NOT_ELIGIBLE.has(plan.reason)) return as('notEligible');
  const pending = plan.pendingAction ?? (plan.action === 'skip' ? undefined : plan.action);
  if (pending === 'install') return as('missing');
  if (pending === 'upgrade' || plan.reason === 'MajorUpgradeRefused')
    return as('behind', { path: plan.path });
  if (pending === 'reconfigure') return as('drifted');
  return base;
}

export interface ComplianceSummary {
  clusters: number;
  counts: Record<ComplianceStatus, number>;
}

export function emptyCounts(): Record<ComplianceStatus, number> {
  return Object.fromEntries(COMPLIANCE_STATUSES.map((s) => [s, 0])) as Record<ComplianceStatus, number>;
}

/** Counts over the whole, and per subscription (lower-cased ids). */
export function summarizeCompliance(items: readonly ClusterCompliance[]): {
  total: ComplianceSummary;
  bySubscription: Record<string, ComplianceSummary>;
} {
  const total: ComplianceSummary = { clusters: 0, counts: emptyCounts() };
  const bySubscription: Record<string, ComplianceSummary> = {};
  for (const item of items) {
    const sub = (bySubscription[item.subscriptionId] ??= { clusters: 0, counts: emptyCounts() });
    for (const s of [total, sub]) {
      s.clusters++;
      s.counts[item.status]++;
    }
  }
  return { total, bySubscription };
}

/**
 * What identifies one drift of one cluster under one policy: the drifted keys with the values found. The
 * same drift seen by two sweeps has the same fingerprint; a new out-of-band change gives another one.
 */
export function driftFingerprint(policyName: string, drift: readonly DriftedSetting[]): string {
  const sorted = [...drift].sort((a, b) => (a.key < b.key ? -1 : 1));
  const values = sorted.map((d) => `${d.key}=${d.current ?? '\u0000'}`).join('\n');
  return `${sorted.map((d) => d.key).join(',')}#${stableHash(`${policyName}\n${values}`).toString(16)}`;
}

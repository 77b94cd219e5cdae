/** One cluster's plan under a policy: the outcome, in the order of precedence docs/domain.md gives. */
import type { ClusterInfo, ExtensionInfo } from './cluster.js';
import { DEFAULT_OSM_EXTENSION_NAME, osmExtensions } from './cluster.js';
import { isExcluded } from './matchesTarget.js';
import type { OsmCatalog } from './osmCatalog.js';
import type { ClusterPlan, SkipReason, WorkReason } from './planner.js';
import type { Policy } from './policy.js';
import { mergeSettings } from './settingsMerge.js';
import { isSupportedDistribution } from './supportedDistributions.js';
import type { UpgradePathResult } from './upgradePath.js';

export type PathFor = (from: string, to: string) => UpgradePathResult;

export function planCluster(
  policy: Policy,
  cluster: ClusterInfo,
  catalog: OsmCatalog,
  pathFor: PathFor,
): ClusterPlan {
  const to = policy.osm.version;
  const existing = osmExtensions(cluster);
  const osm: ExtensionInfo | undefined = existing[0];
  const plan: ClusterPlan = {
    id: cluster.id,
    name: cluster.name,
    wave: null,
    waveIndex: null,
    action: 'skip',
    reason: 'Excluded',
    from: osm?.version ?? null,
    to,
    path: [],
    hops: [],
    extensionName: osm?.name ?? DEFAULT_OSM_EXTENSION_NAME,
    adopted: !!osm && osm.name.toLowerCase() !== DEFAULT_OSM_EXTENSION_NAME,
    distribution: cluster.distribution,
    settingsChanges: [],
    drift: [],
  };
  const skip = (reason: SkipReason, message: string): ClusterPlan => Object.assign(plan, { reason, message });

  if (isExcluded(policy.target, cluster)) return skip('Excluded', 'listed in target.exclude');
  if (!policy.rollout.includeUnsupportedDistributions && !isSupportedDistribution(cluster.distribution))
    return skip(
      'UnsupportedDistribution',
      `distribution "${cluster.distribution}" is not supported by the Arc OSM extension (set rollout.includeUnsupportedDistributions to target it)`,
    );
  if (existing.length > 1)
    return skip(
      'DuplicateOsmExtensions',
      `${existing.length} OSM extensions found (${existing.map((e) => e.name).join(', ')}); resolve by hand first`,
    );

  if (osm) {
    if (!osm.version || !catalog.has(osm.version))
      return skip(
        'UnknownInstalledVersion',
        `installed OSM version "${osm.version ?? 'unreported'}" is not in the catalog`,
      );
    const path = pathFor(osm.version, to);
    if (!path.ok)
      return skip(path.reason as Exclude<typeof path.reason, 'UnknownTargetVersion'>, path.message);
    plan.hops = path.hops;
    plan.path = path.hops.map((h) => h.to);
  } else {
    plan.path = [to];
  }

  const merged = mergeSettings({
    current: osm?.configurationSettings ?? {},
    currentVersion: osm?.version ?? null,
    desired: policy.osm.configurationSettings,
    targetVersion: to,
    distribution: cluster.distribution,
    catalog,
  });
  plan.settingsChanges = merged.changes;
  plan.drift = merged.drift;

  let work: { action: 'install' | 'upgrade' | 'reconfigure'; reason: WorkReason } | undefined;
  if (!osm) work = { action: 'install', reason: 'NotInstalled' };
  else if (plan.hops.some((h) => h.reinstall)) work = { action: 'upgrade', reason: 'MajorVersionReinstall' };
  else if (plan.hops.length) work = { action: 'upgrade', reason: 'VersionBehind' };
  else if (merged.changes.length) work = { action: 'reconfigure', reason: 'SettingsChanged' };
  else if (osm.autoUpgradeMinorVersion !== false)
    work = { action: 'reconfigure', reason: 'VersionNotPinned' };

  if (!work) return Object.assign(plan, { action: 'noChange', reason: 'UpToDate' as const });
  plan.pendingAction = work.action;

  if (cluster.connectivity === 'Expired')
    return skip(
      'ClusterExpired',
      "the cluster's Arc agents lost their identity certificate; reconnect it (az connectedk8s connect)",
    );
  if (cluster.connectivity !== 'Connected')
    return skip(
      'ClusterOffline',
      `connectivity is ${cluster.connectivity}; deferred until the cluster is Connected`,
    );
  const crdHop = plan.hops.find((h) => h.needsCrdStep);
  if (crdHop && policy.rollout.crdUpgrades !== 'allow')
    return skip(
      'AwaitingCrdApproval',
      `the hop ${crdHop.from} -> ${crdHop.to} needs the manual CRD step (back up, delete and recreate OSM CRDs); approve it once done`,
    );
  return Object.assign(plan, { action: work.action, reason: work.reason });
}

/**
 * The OSM extension body for one hop (pure). ARM resets every setting that is not sent again, so the
 * settings are the extension's CURRENT settings (as ARM shows them now, not as planned) merged with the
 * policy snapshot by `mergeSettings`: translated across the 1.0 key rename, OpenShift's privileged init
 * container forced, and Prometheus scraping turned on when the policy onboards Azure Monitor (OSM metrics
 * need it; vendor/reference/osm.md, "Azure Monitor for OSM").
 */
import type { ExtensionInfo } from './cluster.js';
import { OSM_RELEASE_NAMESPACE } from './cluster.js';
import type { OsmCatalog } from './osmCatalog.js';
import { parseOsmVersion } from './parseOsmVersion.js';
import type { Policy } from './policy.js';
import type { DesiredExtension } from './ports.js';
import type { SettingsMerge } from './settingsMerge.js';
import { mergeSettings } from './settingsMerge.js';

export const OSM_EXTENSION_TYPE_NAME = 'Microsoft.openservicemesh';
export const PROMETHEUS_SCRAPING_SETTING = 'enablePrometheusScraping';

export interface DesiredOsmInput {
  /** The rollout's policy snapshot. */
  policy: Pick<Policy, 'osm' | 'monitor'>;
  /** The extension as ARM reports it now; undefined for an install. */
  current: ExtensionInfo | undefined;
  /** The hop's target version. */
  targetVersion: string;
  distribution: string;
  catalog: OsmCatalog;
}

export interface DesiredOsm {
  desired: DesiredExtension;
  /** The merge behind `desired.configurationSettings` (changes, drift, renames) for history and checks. */
  merge: SettingsMerge;
}

export function desiredOsmExtension(input: DesiredOsmInput): DesiredOsm {
  const { policy, current, targetVersion, catalog } = input;
  const desiredSettings: Record<string, string> = { ...policy.osm.configurationSettings };
  if (policy.monitor.enabled)
    desiredSettings[catalog.settingsPrefix(targetVersion) + PROMETHEUS_SCRAPING_SETTING] = 'true';
  const merge = mergeSettings({
    current: current?.configurationSettings ?? {},
    currentVersion: current?.version ?? null,
    desired: desiredSettings,
    targetVersion,
    distribution: input.distribution,
    catalog,
  });
  const desired: DesiredExtension = {
    extensionType: OSM_EXTENSION_TYPE_NAME,
    releaseTrain: policy.osm.releaseTrain,
    version: targetVersion,
    autoUpgradeMinorVersion: false,
    releaseNamespace: OSM_RELEASE_NAMESPACE,
    configurationSettings: merge.settings,
    configurationProtectedSettings: { ...policy.osm.configurationProtectedSettings },
  };
  return { desired, merge };
}

/** Same extension version, ignoring a leading `v` (`v1.2.6` = `1.2.6`); null never matches. */
export function sameVersion(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!a || !b) return false;
  return (parseOsmVersion(a)?.text ?? a) === (parseOsmVersion(b)?.text ?? b);
}

/**
 * The extension already is what the hop would PUT: provisioned, at the target, pinned, and no setting to
 * change. Protected settings cannot be compared (ARM never returns their values), so a hop whose only
 * change is a protected setting still PUTs; that is the reconfigure's job, not this check's.
 */
export function osmExtensionSatisfies(ext: ExtensionInfo | undefined, want: DesiredOsm): boolean {
  return (
    !!ext &&
    ext.provisioningState.toLowerCase() === 'succeeded' &&
    sameVersion(ext.version, want.desired.version) &&
    ext.autoUpgradeMinorVersion !== true &&
    want.merge.changes.length === 0
  );
}

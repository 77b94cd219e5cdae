// Facts about the Arc OSM extension: its published versions (in release order), upgrade rules, CRD-step
// hops, chart defaults and the settings-key scheme (osm.OpenServiceMesh.* below 1.0, osm.osm.* from 1.0).

export const OSM_EXTENSION_TYPE = 'microsoft.openservicemesh';

/** Arc OSM extension versions in release order (rebuilds such as 1.0.0-1 come after their base). */
export const OSM_VERSIONS: readonly string[] = [
  '0.8.2',
  '0.8.3',
  '0.8.4',
  '0.9.0',
  '0.9.1',
  '0.9.2',
  '0.11.1',
  '1.0.0',
  '1.0.0-1',
  '1.1.1',
  '1.1.1-1',
  '1.2.3',
  '1.2.6',
];

export const OSM_LATEST = '1.2.6';

export function minorLine(version: string): string {
  const [major = '0', minor = '0'] = version.split('-')[0]?.split('.') ?? [];
  return `${major}.${minor}`;
}

export function isKnownOsmVersion(version: string): boolean {
  return OSM_VERSIONS.includes(version);
}

function major(version: string): number {
  return Number(version.split('.')[0]);
}

/**
 * Null when the hop is allowed; otherwise a helm-style failure message. `versions`: the published versions
 * in release order (the emulator's own list unless a test asks about another, e.g. a future 2.0.0).
 * Rules (vendor/reference/osm.md, "Upgrade rules"): no downgrade; one published minor line at a time; no
 * major-version upgrade, except 0.x -> 1.0, the documented next step after 0.11.
 */
export function checkUpgrade(
  from: string,
  to: string,
  versions: readonly string[] = OSM_VERSIONS,
): string | null {
  if (from === to) return null;
  const fromIndex = versions.indexOf(from);
  const toIndex = versions.indexOf(to);
  if (fromIndex < 0 || toIndex < 0) return null;
  if (toIndex < fromIndex) {
    return `Error: UPGRADE FAILED: downgrade from ${from} to ${to} is not supported`;
  }
  const lines = [...new Set(versions.map(minorLine))];
  const lineStep = lines.indexOf(minorLine(to)) - lines.indexOf(minorLine(from));
  const zeroToOne = major(from) === 0 && minorLine(to) === '1.0';
  if (major(to) > major(from) && !zeroToOne) {
    return `Error: UPGRADE FAILED: major version upgrade from ${from} to ${to} is not supported`;
  }
  if (lineStep > 1) {
    return (
      `Error: UPGRADE FAILED: cannot upgrade from ${from} to ${to}: ` +
      'upgrades must move one minor version at a time'
    );
  }
  return null;
}

/** A hop needing the manual CRD step: starts before 0.10 and the target changed CRDs (0.8->0.9, 0.9->0.11). */
export function needsCrdStep(from: string, to: string): boolean {
  const fromLine = minorLine(from);
  const toLine = minorLine(to);
  if (fromLine === toLine) return false;
  const startsOld = fromLine === '0.8' || fromLine === '0.9';
  const crdChangingTargets = ['0.9', '0.10', '0.11', '1.0', '1.1', '1.2'];
  return startsOld && crdChangingTargets.includes(toLine);
}

/** The chart's top-level values key for the given version. */
export function settingsPrefix(version: string): string {
  return major(version) >= 1 ? 'osm.osm' : 'osm.OpenServiceMesh';
}

/** The chart's defaults for the settings the emulator tracks, in the version's key scheme. */
export function chartDefaults(version: string): Record<string, string> {
  const p = settingsPrefix(version);
  return {
    [`${p}.enablePermissiveTrafficPolicy`]: 'true',
    [`${p}.enableDebugServer`]: 'false',
    [`${p}.deployPrometheus`]: 'false',
    [`${p}.deployJaeger`]: 'false',
    [`${p}.enforceSingleMesh`]: 'true',
    [`${p}.enablePrivilegedInitContainer`]: 'false',
    [`${p}.enableEgress`]: 'false',
    [`${p}.envoyLogLevel`]: 'error',
    [`${p}.tracing.enable`]: 'false',
  };
}

/** True when the running settings enable the privileged init container in the version's key scheme. */
export function privilegedInitEnabled(version: string, settings: Record<string, string>): boolean {
  return settings[`${settingsPrefix(version)}.enablePrivilegedInitContainer`]?.toLowerCase() === 'true';
}

/**
 * The seeded fleet of the scale tests and the chaos benchmark: deterministic clusters (installs, multi-hop
 * upgrades on the CRD-free path 0.11.1 -> 1.0.0-1 -> 1.1.1-1 -> 1.2.6, reconfigures, up-to-date ones, some
 * OpenShift), each with the settings it carries before osm-fleet and the PUTs (hops) it should need.
 */
import type { ClusterSeed } from '../../../emulator/seedFleet.js';

export const TARGET = '1.2.6';
export const OSM_TYPE = 'Microsoft.openservicemesh';
export const POLICY_SETTINGS: Record<string, string> = {
  'osm.osm.envoyLogLevel': 'warning',
  'osm.osm.enableEgress': 'true',
};
/** Published Arc OSM versions in release order (the emulator's catalog); index = rank. */
export const VERSION_ORDER = ['0.8.2', '0.8.3', '0.8.4', '0.9.0', '0.9.1', '0.9.2', '0.11.1', '1.0.0'].concat(
  ['1.0.0-1', '1.1.1', '1.1.1-1', '1.2.3', TARGET],
);

export interface SeededCluster {
  seed: ClusterSeed;
  id: string;
  /** Settings on the cluster before osm-fleet (none when OSM is absent). */
  settings: Record<string, string>;
  from: string | null;
  /** PUTs a clean rollout sends: one per hop (install, upgrade hop, reconfigure). */
  hops: number;
}

export function clusterArmId(sub: string, rg: string, name: string): string {
  return `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Kubernetes/connectedClusters/${name}`;
}

export function subscriptionIds(n: number, salt = 'a'): string[] {
  return Array.from({ length: n }, (_, i) => {
    const hex = (i + 1).toString(16).padStart(4, '0');
    return `${salt.repeat(8)}-${hex}-4${salt.repeat(3)}-8${salt.repeat(3)}-${hex}${salt.repeat(8)}`;
  });
}

/** The n-th cluster of the fleet: the same for every run with the same arguments. */
export function fleetCluster(i: number, subs: readonly string[], prefix: string): SeededCluster {
  const sub = subs[i % subs.length] ?? '';
  const rg = `rg-${prefix}-${i % 3}`;
  const name = `${prefix}-${String(i).padStart(5, '0')}`;
  const openshift = i % 10 === 7;
  const kind = i % 6;
  const seed: ClusterSeed = {
    subscriptionId: sub,
    resourceGroup: rg,
    name,
    distribution: openshift ? 'openshift' : i % 2 ? 'aks' : 'eks',
    tags: { env: 'prod', ring: String(i % 4) },
    extensions: [],
  };
  const old = (extra: Record<string, string>) => ({
    'osm.OpenServiceMesh.enablePermissiveTrafficPolicy': 'false',
    [`osm.OpenServiceMesh.custom.key${i % 7}`]: `v${i}`,
    ...(openshift ? { 'osm.OpenServiceMesh.enablePrivilegedInitContainer': 'true' } : {}),
    ...extra,
  });
  const neu = (extra: Record<string, string>) => ({
    'osm.osm.enablePermissiveTrafficPolicy': 'false',
    [`osm.osm.custom.key${i % 7}`]: `v${i}`,
    ...(openshift ? { 'osm.osm.enablePrivilegedInitContainer': 'true' } : {}),
    ...extra,
  });
  const table: [string | null, Record<string, string>, number][] = [
    [null, {}, 1],
    ['0.11.1', old({}), 3],
    ['1.0.0-1', neu({}), 2],
    ['1.1.1-1', neu({ 'osm.osm.tracing.enable': 'false' }), 1],
    [TARGET, neu({ ...POLICY_SETTINGS }), 0],
    [TARGET, neu({ 'osm.osm.envoyLogLevel': 'debug' }), 1],
  ];
  const [from, settings, hops] = table[kind] ?? [null, {}, 1];
  if (from)
    seed.extensions?.push({
      name: i % 12 === 5 ? 'open-service-mesh' : 'osm',
      extensionType: OSM_TYPE,
      version: from,
      autoUpgradeMinorVersion: false,
      releaseTrain: 'stable',
      configurationSettings: settings,
      releaseNamespace: 'arc-osm-system',
    });
  return { seed, id: clusterArmId(sub, rg, name), settings, from, hops };
}

export function fleet(count: number, subs: readonly string[], prefix: string): SeededCluster[] {
  return Array.from({ length: count }, (_, i) => fleetCluster(i, subs, prefix));
}

/** The settings a cluster must run with at `version`: what it had (keys translated across the 1.0 rename),
 * overlaid by the policy once osm-fleet has written to it. */
export function expectedSettings(
  had: Record<string, string>,
  version: string,
  written: boolean,
): Record<string, string> {
  const newScheme = rank(version) >= rank('1.0.0');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(had)) {
    const key = newScheme
      ? k.replace(/^osm\.OpenServiceMesh\./, 'osm.osm.')
      : k.replace(/^osm\.osm\./, 'osm.OpenServiceMesh.');
    out[key] = v;
  }
  if (written && newScheme) Object.assign(out, POLICY_SETTINGS);
  return out;
}

export function rank(version: string): number {
  const r = VERSION_ORDER.indexOf(version.replace(/^v/, ''));
  if (r < 0) throw new Error(`unknown OSM version ${version}`);
  return r;
}

export function policyBody(
  subs: readonly string[],
  waves: { name: string; count?: number; percent?: number; maxParallel: number }[],
  extra: { maxFailurePercent?: number; autoOnboard?: boolean; clusterNames?: string[] } = {},
): unknown {
  return {
    target: { subscriptions: subs, ...(extra.clusterNames ? { clusterNames: extra.clusterNames } : {}) },
    osm: { version: TARGET, configurationSettings: POLICY_SETTINGS },
    rollout: {
      waves: waves.map((w) => ({ ...w, soakMinutes: 0 })),
      maxFailurePercent: extra.maxFailurePercent ?? 5,
    },
    autoOnboard: extra.autoOnboard ?? false,
  };
}

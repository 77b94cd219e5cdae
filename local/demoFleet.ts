/**
 * A synthetic, deterministic fleet for demos and benchmarks: the messes real fleets have (OpenShift,
 * unsupported distributions, offline and expired clusters, OSM already installed at old versions with
 * hand-set settings, OSM installed by hand under another name).
 */
import type { ClusterInfo, ExtensionInfo } from '../shared/domain/cluster.js';

export interface DemoFleetOptions {
  clusters: number;
  subscriptions: number;
  seed?: number;
}

const DISTRIBUTIONS = ['aks_engine', 'eks', 'gke', 'openshift', 'rancher_rke', 'capz', 'canonical', 'k3s'];
const LOCATIONS = ['eastus', 'westeurope', 'southeastasia'];
const ENVS = ['prod', 'staging', 'dev'];
const INSTALLED = ['0.8.4', '0.9.2', '0.11.1', '1.0.0-1', '1.1.1-1', '1.2.3', '1.2.6'];

/** mulberry32: a small seeded PRNG, so the same options always give the same fleet. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function demoSubscriptionId(index: number): string {
  return `00000000-0000-0000-0000-${String(index + 1).padStart(12, '0')}`;
}

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)] as T;
}

function osmSettings(version: string, rand: () => number): Record<string, string> {
  const prefix = version.startsWith('0.') ? 'osm.OpenServiceMesh.' : 'osm.osm.';
  const permissive = version === '1.2.6' && rand() < 0.5 ? 'false' : 'true';
  const s: Record<string, string> = { [`${prefix}enablePermissiveTrafficPolicy`]: permissive };
  if (rand() < 0.5) s[`${prefix}envoyLogLevel`] = pick(rand, ['debug', 'warn', 'error']);
  if (rand() < 0.2) s[`${prefix}tracing.enable`] = 'true';
  return s;
}

export function demoFleet(options: DemoFleetOptions): ClusterInfo[] {
  const rand = prng(options.seed ?? 42);
  const fleet: ClusterInfo[] = [];
  for (let i = 0; i < options.clusters; i++) {
    const subscriptionId = demoSubscriptionId(i % options.subscriptions);
    const env = pick(rand, ENVS);
    const resourceGroup = `rg-${env}-${(i % 7) + 1}`;
    const name = `${env === 'prod' ? 'shop' : 'app'}-${String(i).padStart(6, '0')}`;
    const distribution = pick(rand, DISTRIBUTIONS);
    const r = rand();
    const connectivity = r < 0.02 ? 'Offline' : r < 0.025 ? 'Expired' : 'Connected';
    const extensions: ExtensionInfo[] = [];
    if (rand() < 0.6) {
      const version = pick(rand, INSTALLED);
      const settings = osmSettings(version, rand);
      if (distribution === 'openshift')
        settings[
          `${version.startsWith('0.') ? 'osm.OpenServiceMesh.' : 'osm.osm.'}enablePrivilegedInitContainer`
        ] = 'true';
      extensions.push({
        name: i % 97 === 5 ? 'open-service-mesh' : 'osm',
        extensionType: 'microsoft.openservicemesh',
        version,
        provisioningState: 'Succeeded',
        releaseTrain: 'stable',
        autoUpgradeMinorVersion: false,
        configurationSettings: settings,
      });
    }
    fleet.push({
      id: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Kubernetes/connectedClusters/${name}`,
      name,
      subscriptionId,
      resourceGroup,
      location: pick(rand, LOCATIONS),
      distribution,
      connectivity,
      tags: { env, team: pick(rand, ['payments', 'catalog', 'search']) },
      extensions,
    });
  }
  return fleet;
}

/**
 * The demo fleet `npm start` seeds into the emulator: the messes a real fleet has. A generated bulk (several
 * distributions, OSM already on about half of it at 0.11.1 .. 1.2.3, 1 % offline) plus a dozen hand-made
 * clusters: OSM 0.8.4 / 0.9.2 with settings set by hand (their next hop needs the manual CRD step, so they wait
 * for approval), OpenShift, k3s (not supported by the Arc OSM extension), an OSM installed by hand under
 * another name, and two offline clusters.
 */
import type { ClusterSeed, SeedInput } from '../emulator/seedFleet.js';

const OSM = 'Microsoft.openservicemesh';

export function demoSeed(clusters: number, subscriptions: string[]): SeedInput {
  const [s1 = '', s2 = s1] = subscriptions;
  const c = (
    sub: string,
    name: string,
    distribution: string,
    extra: Partial<ClusterSeed> = {},
  ): ClusterSeed => ({
    subscriptionId: sub,
    resourceGroup: 'rg-demo-special',
    name,
    distribution,
    location: 'westeurope',
    tags: { env: 'prod', team: 'platform' },
    ...extra,
  });
  const osm = (version: string, settings: Record<string, string>, name = 'osm') => ({
    extensions: [
      {
        name,
        extensionType: OSM,
        version,
        autoUpgradeMinorVersion: false,
        releaseTrain: 'stable',
        configurationSettings: settings,
      },
    ],
  });
  return {
    seed: 7,
    clusters: Math.max(0, clusters - 12),
    subscriptions,
    resourceGroupsPerSubscription: 3,
    distributions: { aks_engine: 2, eks: 3, gke: 2, openshift: 1, rancher_rke: 1, capz: 1, k3s: 1 },
    osm: { fraction: 0.5, versions: { '0.11.1': 1, '1.0.0': 2, '1.1.1': 3, '1.2.3': 3 } },
    offlineFraction: 0.01,
    namePrefix: 'demo',
    explicit: [
      c(s1, 'legacy-084-a', 'eks', osm('0.8.4', { 'osm.OpenServiceMesh.envoyLogLevel': 'debug' })),
      c(
        s1,
        'legacy-084-b',
        'gke',
        osm('0.8.4', { 'osm.OpenServiceMesh.enablePermissiveTrafficPolicy': 'false' }),
      ),
      c(s2, 'legacy-092-a', 'rancher_rke', osm('0.9.2', { 'osm.OpenServiceMesh.tracing.enable': 'true' })),
      c(
        s2,
        'legacy-092-b',
        'openshift',
        osm('0.9.2', { 'osm.OpenServiceMesh.enablePrivilegedInitContainer': 'true' }),
      ),
      c(
        s1,
        'shop-openshift-1',
        'openshift',
        osm('1.1.1', { 'osm.osm.enablePrivilegedInitContainer': 'true', 'osm.osm.envoyLogLevel': 'warn' }),
      ),
      c(s1, 'shop-openshift-2', 'openshift'),
      c(
        s2,
        'hand-installed',
        'aks_engine',
        osm('1.2.3', { 'osm.osm.envoyLogLevel': 'info' }, 'open-service-mesh'),
      ),
      c(s2, 'edge-k3s-1', 'k3s'),
      c(s1, 'branch-offline-1', 'eks', { connectivityStatus: 'Offline' }),
      c(s2, 'branch-offline-2', 'gke', { connectivityStatus: 'Offline', ...osm('1.1.1', {}) }),
      c(s1, 'fresh-1', 'capz'),
      c(s2, 'fresh-2', 'canonical'),
    ],
  };
}

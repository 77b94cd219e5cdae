// A synthetic fleet for the Resource Graph tests and benchmark: clusters over two subscriptions, OSM extensions.
import { GraphIndex } from './graphIndex.js';
import { extensionRow, resourceRow } from './graphRows.js';

export const subs = ['11111111-1111-1111-1111-111111111111', '22222222-2222-2222-2222-222222222222'];
const distributions = ['AKS', 'openshift', 'k3s', 'eks'];

export function clusterId(i: number): string {
  return `/subscriptions/${subs[i % 2]}/resourceGroups/RG-${i % 5}/providers/Microsoft.Kubernetes/connectedClusters/cluster-${String(i).padStart(5, '0')}`;
}

export function fleetIndex(clusters: number, extensions: number, visibleAtMs = 0): GraphIndex {
  return fillFleet(new GraphIndex(), clusters, extensions, visibleAtMs);
}

/** Puts `clusters` connected clusters and OSM extensions on the first `extensions` of them. */
export function fillFleet(
  index: GraphIndex,
  clusters: number,
  extensions: number,
  visibleAtMs = 0,
): GraphIndex {
  for (let i = 0; i < clusters; i++) {
    const id = clusterId(i);
    index.put(
      'resources',
      id,
      resourceRow({
        id,
        location: i % 3 === 0 ? 'East US' : 'westeurope',
        tags: i % 2 === 0 ? { env: 'prod', ring: String(i % 4) } : { env: 'dev' },
        properties: {
          distribution: distributions[i % 4],
          infrastructure: 'generic',
          kubernetesVersion: '1.29.1',
          agentVersion: '1.15.0',
          totalNodeCount: (i % 7) + 1,
          connectivityStatus: i % 10 === 9 ? 'Offline' : 'Connected',
          provisioningState: 'Succeeded',
        },
      }),
      visibleAtMs,
    );
  }
  for (let i = 0; i < extensions; i++) {
    const id = `${clusterId(i)}/providers/Microsoft.KubernetesConfiguration/extensions/osm`;
    index.put(
      'kubernetesconfigurationresources',
      id,
      extensionRow({
        id,
        name: 'osm',
        properties: {
          extensionType: 'microsoft.openservicemesh',
          version: i % 2 === 0 ? '1.2.10' : '1.1.5',
          provisioningState: 'Succeeded',
          configurationSettings: { 'osm.osm.enablePrivilegedInitContainer': 'false' },
          configurationProtectedSettings: { secret: 'x' },
        },
      }),
      visibleAtMs,
    );
  }
  return index;
}

/** The fleet query from vendor/reference/azure.md (section C), using split() to derive the cluster id. */
export const fleetQuery = `Resources
| where type =~ 'microsoft.kubernetes/connectedclusters'
| extend clusterId = tolower(id)
| project clusterId, id, name, subscriptionId, resourceGroup, location, tags,
          distribution = tolower(tostring(properties.distribution)),
          connectivityStatus = tostring(properties.connectivityStatus),
          totalNodeCount = toint(properties.totalNodeCount)
| join kind=leftouter (
    KubernetesConfigurationResources
    | where type =~ 'microsoft.kubernetesconfiguration/extensions'
    | extend p = parse_json(tolower(tostring(properties)))
    | where tostring(p.extensiontype) == 'microsoft.openservicemesh'
    | extend clusterId = tolower(tostring(split(id, '/providers/Microsoft.KubernetesConfiguration')[0]))
    | project clusterId, osmExtensionId = id, osmVersion = tostring(properties.Version), osmState = tostring(p.provisioningstate)
  ) on clusterId
| project-away clusterId1
| order by id asc`;

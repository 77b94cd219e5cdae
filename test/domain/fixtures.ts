import type { ClusterInfo, ExtensionInfo } from '../../shared/domain/cluster.js';

export const SUB_A = '6a1b2c3d-0000-4000-8000-00000000000a';
export const SUB_B = '6a1b2c3d-0000-4000-8000-00000000000b';

/** A connected, supported cluster with no extensions; override what the case needs. */
export function cluster(name: string, over: Partial<ClusterInfo> = {}): ClusterInfo {
  const subscriptionId = over.subscriptionId ?? SUB_A;
  const resourceGroup = over.resourceGroup ?? 'rg-a';
  return {
    id: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Kubernetes/connectedClusters/${name}`,
    name,
    subscriptionId,
    resourceGroup,
    location: 'eastus',
    distribution: 'eks',
    connectivity: 'Connected',
    tags: {},
    extensions: [],
    ...over,
  };
}

export function osm(
  version: string | null,
  settings: Record<string, string> = {},
  over: Partial<ExtensionInfo> = {},
): ExtensionInfo {
  return {
    name: 'osm',
    extensionType: 'microsoft.openservicemesh',
    version,
    provisioningState: 'Succeeded',
    releaseTrain: 'stable',
    autoUpgradeMinorVersion: false,
    configurationSettings: settings,
    ...over,
  };
}

/**
 * What both peers share: the SDK a user would script with (`@azure/arm-kubernetesconfiguration`, a static
 * bearer token, the emulator's endpoint and CA), the OSM extension body a user sends (version pinned,
 * cluster scope), and a look at which clusters of the fleet end at the target version.
 */
import { SourceControlConfigurationClient, type Extension } from '@azure/arm-kubernetesconfiguration';
import type { TokenCredential } from '@azure/core-auth';
import type { Emulator } from '../../emulator/createEmulator.js';

export const TARGET = '1.2.6';
export const OSM_NAME = 'osm';

const credential: TokenCredential = {
  getToken: async () => ({ token: 'bench-peer-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

export interface PeerCluster {
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

export function peerClients(emulator: Emulator): (sub: string) => SourceControlConfigurationClient {
  const clients = new Map<string, SourceControlConfigurationClient>();
  return (sub) => {
    let c = clients.get(sub);
    if (!c) {
      c = new SourceControlConfigurationClient(credential, sub, {
        endpoint: emulator.endpoint,
        tlsOptions: { ca: emulator.caPem },
      });
      clients.set(sub, c);
    }
    return c;
  };
}

export const osmBody: Extension = {
  extensionType: 'Microsoft.openservicemesh',
  autoUpgradeMinorVersion: false,
  releaseTrain: 'stable',
  version: TARGET,
  scope: { cluster: { releaseNamespace: 'arc-osm-system' } },
};

/** The fleet's clusters as ARM IDs, parsed (taken from the emulator's state: the peer is given the list). */
export function fleetClusters(ids: string[]): PeerCluster[] {
  return ids.map((id) => {
    const p = id.split('/');
    return { id, subscriptionId: p[2] ?? '', resourceGroup: p[4] ?? '', name: p[8] ?? '' };
  });
}

/** Clusters whose OSM extension is Succeeded at the target version (read from the emulator's state). */
export function clustersAtTarget(emulator: Emulator, ids: string[]): number {
  let n = 0;
  for (const id of ids) {
    const c = emulator.state.clusters.get(id.toLowerCase());
    const ext = c && [...c.extensions.values()].find((e) => /openservicemesh/i.test(e.extensionType));
    if (ext && ext.provisioningState === 'Succeeded' && ext.currentVersion === TARGET) n++;
  }
  return n;
}

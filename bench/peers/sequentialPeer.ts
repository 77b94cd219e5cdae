/**
 * Peer (a), the documented manual method: for each cluster in turn, one `extensions.beginCreateAndWait`
 * (the SDK's PUT plus its own polling of the operation until it ends), as `az k8s-extension create` does.
 * Run on a sample; each cluster's time and ARM requests are measured, then extrapolated to the fleet:
 * makespan(N) = N x mean time per cluster (the loop is strictly sequential, so it scales linearly, and
 * one cluster's requests never reach the throttling buckets).
 */
import type { Emulator } from '../../emulator/createEmulator.js';
import type { EmulatorControl } from '../../emulator/emulatorControl.js';
import { clustersAtTarget, fleetClusters, OSM_NAME, osmBody, peerClients } from './peerClient.js';
import { armDiff, type PeerResult } from './peerResult.js';

export async function runSequentialPeer(
  emulator: Emulator,
  control: EmulatorControl,
  ids: string[],
  fleetSize: number,
): Promise<PeerResult> {
  const clientFor = peerClients(emulator);
  const before = await control.stats();
  const times: number[] = [];
  const errors: Record<string, number> = {};
  const t0 = Date.now();
  for (const c of fleetClusters(ids)) {
    const t = Date.now();
    try {
      await clientFor(c.subscriptionId).extensions.beginCreateAndWait(
        c.resourceGroup,
        'Microsoft.Kubernetes',
        'connectedClusters',
        c.name,
        OSM_NAME,
        osmBody,
        { updateIntervalInMs: 1000 },
      );
    } catch (e) {
      const code = (e as { code?: string }).code ?? 'Error';
      errors[code] = (errors[code] ?? 0) + 1;
    }
    times.push(Date.now() - t);
  }
  const measuredMs = Date.now() - t0;
  const after = await control.stats();
  const mean = measuredMs / ids.length;
  return {
    name: `sequential beginCreateAndWait (sample ${ids.length}, x ${fleetSize / ids.length})`,
    clusters: ids.length,
    makespanMs: mean * fleetSize,
    note:
      `measured ${ids.length} clusters in ${(measuredMs / 1000).toFixed(1)} s (mean ${(mean / 1000).toFixed(2)} s, ` +
      `min ${(Math.min(...times) / 1000).toFixed(2)} s, max ${(Math.max(...times) / 1000).toFixed(2)} s per cluster); ` +
      `makespan extrapolated = ${fleetSize} x mean`,
    ...armDiff(before, after),
    failed: ids.length - clustersAtTarget(emulator, ids),
    errors,
  };
}

/**
 * Peer (b), a naive script: `Promise.all` of one `beginCreateAndWait` per cluster over the whole fleet,
 * every PUT fired at once; the SDK retries 429s by itself (3 retries, honouring Retry-After). A cluster
 * failed when its OSM extension is not Succeeded at the target once every call has settled; the errors
 * that escaped the SDK's retries are counted by code.
 */
import type { Emulator } from '../../emulator/createEmulator.js';
import type { EmulatorControl } from '../../emulator/emulatorControl.js';
import { clustersAtTarget, fleetClusters, OSM_NAME, osmBody, peerClients } from './peerClient.js';
import { armDiff, type PeerResult } from './peerResult.js';

export async function runNaivePeer(
  emulator: Emulator,
  control: EmulatorControl,
  ids: string[],
): Promise<PeerResult> {
  const clientFor = peerClients(emulator);
  const before = await control.stats();
  const errors: Record<string, number> = {};
  const t0 = Date.now();
  await Promise.all(
    fleetClusters(ids).map((c) =>
      clientFor(c.subscriptionId)
        .extensions.beginCreateAndWait(
          c.resourceGroup,
          'Microsoft.Kubernetes',
          'connectedClusters',
          c.name,
          OSM_NAME,
          osmBody,
          { updateIntervalInMs: 1000 },
        )
        .catch((e: unknown) => {
          const err = e as { code?: string; statusCode?: number };
          const code = `${err.statusCode ?? ''} ${err.code ?? 'Error'}`.trim();
          errors[code] = (errors[code] ?? 0) + 1;
        }),
    ),
  );
  const makespanMs = Date.now() - t0;
  // Operations accepted before a poll failed still finish: wait for them before counting the outcome.
  while ((await control.stats()).inFlightOperations > 0) await new Promise((r) => setTimeout(r, 500));
  const after = await control.stats();
  const rejected = Object.values(errors).reduce((a, b) => a + b, 0);
  return {
    name: `naive Promise.all of ${ids.length} beginCreateAndWait`,
    clusters: ids.length,
    makespanMs,
    note: `${rejected} calls rejected after the SDK's retries; makespan = until every call settled`,
    ...armDiff(before, after),
    failed: ids.length - clustersAtTarget(emulator, ids),
    errors,
  };
}

/**
 * Queue `<queue>-poison`, carried out: read the row, decide (`decidePoison`, shared/domain/clusterHop),
 * write. The failure then shows in the API instead of a cluster stuck InProgress.
 */
import { decidePoison } from '../domain/clusterHop/decidePoison.js';
import type { ClusterWorkMessage, QueueName } from '../domain/records.js';
import type { ServiceDeps } from './serviceDeps.js';
import type { StepResult } from './stepResult.js';
import { recordLastEvent } from './recordLastEvent.js';
import { carryOut } from './writeClusterRow.js';

export async function recordPoisonedWork(
  deps: ServiceDeps,
  queue: QueueName,
  msg: ClusterWorkMessage,
): Promise<StepResult> {
  deps.log.error('Work message poisoned', {
    rolloutId: msg.rolloutId,
    clusterId: msg.clusterId,
    hop: msg.hop,
    queue,
  });
  const row = await deps.rollouts.getCluster(msg.rolloutId, msg.clusterId);
  const d = decidePoison(row?.value, queue, msg);
  if (!row) return d.result;
  // A message poisoned after its worker wrote the row may have left the row's event unappended.
  if (d.result.outcome === 'ignored') {
    await recordLastEvent(deps, row.value);
    return d.result;
  }
  await carryOut(deps, row, d);
  return d.result;
}

/**
 * A work message that failed every delivery lands in `<queue>-poison` (the Functions host moves it after
 * `maxDequeueCount` attempts). This records why on the cluster row, so the failure shows in the API instead
 * of a cluster stuck InProgress: the OSM hop fails with `PoisonMessage`; a monitor onboarding is marked Failed.
 */
import type { ClusterWorkMessage, QueueName } from '../domain/records.js';
import { QUEUES } from '../domain/records.js';
import type { ServiceDeps } from './serviceDeps.js';
import type { StepResult } from './stepResult.js';
import { ignored } from './stepResult.js';
import { failHop } from '../domain/clusterHop/hopRows.js';
import { carryOut, writeClusterRow } from './writeClusterRow.js';

export async function recordPoisonedWork(
  deps: ServiceDeps,
  queue: QueueName,
  msg: ClusterWorkMessage,
): Promise<StepResult> {
  const row = await deps.rollouts.getCluster(msg.rolloutId, msg.clusterId);
  if (!row) return ignored('RowNotFound');
  const message = `a ${queue} message for this cluster failed every delivery and was moved to the poison queue; see the function logs`;
  deps.log.error('Work message poisoned', {
    rolloutId: msg.rolloutId,
    clusterId: msg.clusterId,
    hop: msg.hop,
    queue,
  });
  if (queue === QUEUES.monitorSteps) {
    if (row.value.monitor === 'Succeeded' || row.value.monitor === 'Failed') return ignored('MonitorSettled');
    await writeClusterRow(deps, row, {
      set: {
        monitor: 'Failed',
        monitorProgress: {
          ...row.value.monitorProgress,
          attempts: row.value.monitorProgress?.attempts ?? 0,
          reason: 'PoisonMessage',
          message,
        },
      },
      event: { action: 'MonitorFailed', result: 'Failed', reason: 'PoisonMessage', message },
    });
    return { outcome: 'stalled', reason: 'PoisonMessage' };
  }
  if (row.value.state !== 'InProgress' || row.value.hop !== msg.hop) return ignored('RowMovedOn');
  const d = failHop(row.value, 'PoisonMessage', message);
  await carryOut(deps, row, d);
  return d.result;
}

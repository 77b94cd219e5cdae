/**
 * A work message that failed every delivery (moved to `<queue>-poison` by the Functions host), decided:
 * the failure is recorded on the cluster row so that it shows in the API instead of a cluster stuck
 * InProgress. A monitor onboarding not yet settled ends Failed; the OSM hop the message was for fails with
 * `PoisonMessage`; a row that moved on since is left alone.
 */
import { QUEUES, type ClusterWorkMessage, type QueueName } from '../records.js';
import { ignoredDecision, type Decision, type HopRow } from './hopDecision.js';
import { failHop } from './hopRows.js';

export function decidePoison(row: HopRow | undefined, queue: QueueName, msg: ClusterWorkMessage): Decision {
  if (!row) return ignoredDecision('RowNotFound');
  const message = `a ${queue} message for this cluster failed every delivery and was moved to the poison queue; see the function logs`;
  if (queue === QUEUES.monitorSteps) {
    if (row.monitor === 'Succeeded' || row.monitor === 'Failed') return ignoredDecision('MonitorSettled');
    return {
      change: {
        set: {
          monitor: 'Failed',
          monitorProgress: {
            ...row.monitorProgress,
            attempts: row.monitorProgress?.attempts ?? 0,
            reason: 'PoisonMessage',
            message,
          },
        },
        event: { action: 'MonitorFailed', result: 'Failed', reason: 'PoisonMessage', message },
      },
      sends: [],
      result: { outcome: 'stalled', reason: 'PoisonMessage' },
    };
  }
  if (row.state !== 'InProgress' || row.hop !== msg.hop) return ignoredDecision('RowMovedOn');
  return failHop(row, 'PoisonMessage', message);
}

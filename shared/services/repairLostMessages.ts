/**
 * Lost-message repair, carried out (the rule is `lostMessage`, shared/domain/clusterHop/hopRows.ts). A dispatcher that crashed between writing a row InProgress and sending its step
 * message, or a worker that crashed between recording an operation and scheduling its check, leaves a row
 * that nothing will ever move. Such a row is recognised by its age (`updatedAt`, which the workers bump on
 * every step and check):
 * - InProgress without an operation, older than 2 x checkDelayMs + 60 s: the step message is sent again;
 * - InProgress with an operation, older than 2 x heartbeat + checkDelayMs: a check is sent again. A check
 *   that finds the operation still running bumps `updatedAt` once per heartbeat (not on every check), so a
 *   long install is told apart from a check message lost with a crashed worker.
 * A row parked on purpose until `retryAt` (a namespace wait) counts its age from then.
 * Workers are idempotent, so a duplicate of a message that was merely slow is harmless. Before re-sending,
 * the row's last history event is appended again (idempotent): the crash that lost the message may have
 * come before that append (`recordLastEvent`).
 */
import { lostMessage } from '../domain/clusterHop/hopRows.js';
import type { RolloutClusterRecord } from '../domain/records.js';
import { QUEUES } from '../domain/records.js';
import { recordLastEvent } from './recordLastEvent.js';
import type { ServiceDeps } from './serviceDeps.js';

export interface RepairResult {
  steps: number;
  checks: number;
}

export async function repairLostMessages(
  deps: Pick<ServiceDeps, 'queue' | 'clock' | 'log' | 'settings' | 'history'>,
  rows: readonly RolloutClusterRecord[],
): Promise<RepairResult> {
  const now = deps.clock.now();
  const result: RepairResult = { steps: 0, checks: 0 };
  for (const row of rows) {
    for (const send of lostMessage(row, now, deps.settings)) {
      const fields = {
        rolloutId: row.rolloutId,
        clusterId: row.clusterId,
        hop: row.hop,
        ageMs: now.getTime() - Date.parse(row.updatedAt),
        operationId: send.message.operationId,
      };
      try {
        await recordLastEvent(deps, row);
        await deps.queue.send(send.queue, send.message);
        const step = send.queue === QUEUES.clusterSteps;
        deps.log.warn(step ? 'lost step message re-sent' : 'lost check message re-sent', fields);
        if (step) result.steps++;
        else result.checks++;
      } catch (err) {
        deps.log.error('repair message not sent', { ...fields, error: String(err) });
      }
    }
  }
  return result;
}

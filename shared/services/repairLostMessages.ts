/**
 * Lost-message repair. A dispatcher that crashed between writing a row InProgress and sending its step
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
import type { ClusterWorkMessage, RolloutClusterRecord } from '../domain/records.js';
import { QUEUES } from '../domain/records.js';
import { recordLastEvent } from './recordLastEvent.js';
import type { ServiceDeps } from './serviceDeps.js';

/** How often a check of a still-running operation bumps its row: four check delays (a minute by default), at least 10 s. */
export function heartbeatMs(settings: { checkDelayMs: number }): number {
  return Math.max(10_000, 4 * settings.checkDelayMs);
}

export interface RepairResult {
  steps: number;
  checks: number;
}

export async function repairLostMessages(
  deps: Pick<ServiceDeps, 'queue' | 'clock' | 'log' | 'settings' | 'history'>,
  rows: readonly RolloutClusterRecord[],
): Promise<RepairResult> {
  const now = deps.clock.now().getTime();
  const { checkDelayMs } = deps.settings;
  const stepStaleMs = 2 * checkDelayMs + 60_000;
  const checkStaleMs = 2 * heartbeatMs(deps.settings) + checkDelayMs;
  const result: RepairResult = { steps: 0, checks: 0 };
  for (const row of rows) {
    if (row.state !== 'InProgress') continue;
    // A row a worker parked on purpose (`retryAt`) is not abandoned before its wait ends.
    const ageMs = now - Math.max(Date.parse(row.updatedAt), row.retryAt ? Date.parse(row.retryAt) : 0);
    const message: ClusterWorkMessage = { rolloutId: row.rolloutId, clusterId: row.clusterId, hop: row.hop };
    const fields = { rolloutId: row.rolloutId, clusterId: row.clusterId, hop: row.hop, ageMs };
    try {
      if (!row.operation && ageMs > stepStaleMs) {
        await recordLastEvent(deps, row);
        await deps.queue.send(QUEUES.clusterSteps, message);
        deps.log.warn('lost step message re-sent', fields);
        result.steps++;
      } else if (row.operation && ageMs > checkStaleMs) {
        if (row.operation.operationId !== undefined) message.operationId = row.operation.operationId;
        await recordLastEvent(deps, row);
        await deps.queue.send(QUEUES.clusterChecks, message);
        deps.log.warn('lost check message re-sent', { ...fields, operationId: row.operation.operationId });
        result.checks++;
      }
    } catch (err) {
      deps.log.error('repair message not sent', { ...fields, error: String(err) });
    }
  }
  return result;
}

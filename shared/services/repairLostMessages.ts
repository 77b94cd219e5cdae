/**
 * Lost-message repair, carried out (the rule is `lostMessage`, shared/domain/clusterHop/hopRows.ts). A dispatcher that crashed between writing a row InProgress and sending its step
 * message, or a worker that crashed between recording an operation and scheduling its check, leaves a row
 * that nothing will ever move. Such a row is recognised by its age (`updatedAt`, which the workers bump on
 * every step and check):
 * - InProgress without an operation, older than 2 x checkDelayMs + 60 s: the step message is sent again;
 * - InProgress with an operation, older than 2 x heartbeat + checkDelayMs: a check is sent again. A check
 *   that finds the operation still running bumps `updatedAt` once per heartbeat (not on every check), so a
 *   long install is told apart from a check message lost with a crashed worker.
 * - Succeeded with its Azure Monitor onboarding Pending or InProgress, older than 2 x heartbeat +
 *   checkDelayMs: the monitor step is sent again (the monitor step bumps the row once per heartbeat too).
 *   Such rows also outlive their rollout: `repairFinishedMonitors` looks at the rollouts that ended within
 *   MONITOR_REPAIR_WINDOW_MS with monitoring on.
 * A row parked on purpose until `retryAt` (a namespace wait, a monitor backoff) counts its age from then.
 * Workers are idempotent, so a duplicate of a message that was merely slow is harmless. Before re-sending,
 * the row's last history event is appended again (idempotent): the crash that lost the message may have
 * come before that append (`recordLastEvent`).
 */
import { lostMessage } from '../domain/clusterHop/hopRows.js';
import type { RolloutClusterRecord } from '../domain/records.js';
import { QUEUES } from '../domain/records.js';
import { isTerminalRollout } from '../domain/rolloutState.js';
import { loadRolloutClusters } from './loadRolloutClusters.js';
import { recordLastEvent } from './recordLastEvent.js';
import type { ServiceDeps } from './serviceDeps.js';

export interface RepairResult {
  steps: number;
  checks: number;
  monitors: number;
}

export async function repairLostMessages(
  deps: Pick<ServiceDeps, 'queue' | 'clock' | 'log' | 'settings' | 'history'>,
  rows: readonly RolloutClusterRecord[],
): Promise<RepairResult> {
  const now = deps.clock.now();
  const result: RepairResult = { steps: 0, checks: 0, monitors: 0 };
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
        const kind =
          send.queue === QUEUES.clusterSteps
            ? 'steps'
            : send.queue === QUEUES.monitorSteps
              ? 'monitors'
              : 'checks';
        deps.log.warn(`lost ${kind.slice(0, -1)} message re-sent`, fields);
        result[kind]++;
      } catch (err) {
        deps.log.error('repair message not sent', { ...fields, error: String(err) });
      }
    }
  }
  return result;
}

/** After a rollout ends, its clusters' Azure Monitor steps may run for hours (4 attempts with backoff). */
export const MONITOR_REPAIR_WINDOW_MS = 6 * 60 * 60_000;
const NEWEST_ROLLOUTS = 50;

/**
 * The timer's repair of monitor steps whose rollout has ended (the active rollouts' rows are repaired by their
 * reconcile): among the newest rollouts, those that ended within MONITOR_REPAIR_WINDOW_MS with monitoring on;
 * their rows are read and a lost monitor message is sent again.
 */
export async function repairFinishedMonitors(
  deps: Pick<ServiceDeps, 'queue' | 'clock' | 'log' | 'settings' | 'history' | 'rollouts'>,
): Promise<number> {
  const now = deps.clock.now().getTime();
  let sent = 0;
  for (const { value } of (await deps.rollouts.list({ top: NEWEST_ROLLOUTS })).items) {
    const r = value.rollout;
    if (!isTerminalRollout(r.state) || !value.policy.monitor.enabled || !r.finishedAt) continue;
    if (now - Date.parse(r.finishedAt) > MONITOR_REPAIR_WINDOW_MS) continue;
    const open = (await loadRolloutClusters(deps, r.id))
      .map((row) => row.value)
      .filter((row) => row.monitor === 'Pending' || row.monitor === 'InProgress');
    if (open.length > 0) sent += (await repairLostMessages(deps, open)).monitors;
  }
  return sent;
}

/**
 * The one message of the `rollout-planning` queue: the rollout to plan (the work message shape, no cluster),
 * and its re-sending when planning stalls.
 */
import type { ClusterWorkMessage, RolloutRecord } from '../domain/records.js';
import { QUEUES } from '../domain/records.js';
import type { ServiceDeps } from './serviceDeps.js';

export const WHOLE_FLEET = '*';

export function planningMessage(rolloutId: string): ClusterWorkMessage {
  return { rolloutId, clusterId: WHOLE_FLEET, hop: 0 };
}

/** A Planning rollout whose progress has not moved for this long gets its message again (lost or dead). */
export const PLANNING_STALL_MS = 10 * 60_000;

/**
 * A Planning rollout is the planning worker's (planRollout.ts). If its progress has not moved for
 * PLANNING_STALL_MS (the message was lost, or its worker died and the retry is long), the message is sent
 * again: planning is repeatable, so a duplicate costs a sweep, never a second row.
 */
export async function resendStalledPlanning(
  deps: ServiceDeps,
  record: RolloutRecord,
): Promise<{ state: 'Planning' }> {
  const since = Date.parse(record.planning?.updatedAt ?? record.rollout.createdAt);
  if (deps.clock.now().getTime() - since >= PLANNING_STALL_MS) {
    deps.log.warn('planning stalled, message sent again', { rolloutId: record.rollout.id });
    await deps.queue.send(QUEUES.rolloutPlanning, planningMessage(record.rollout.id));
  }
  return { state: 'Planning' };
}

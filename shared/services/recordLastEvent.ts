/**
 * The cluster rows' history outbox. `writeClusterRow` keeps the event of a write on the row itself
 * (`lastEvent`, in the same conditional write) and appends it to history right after; a worker that dies
 * between the two leaves the event only on the row. Whoever takes that row's work over (the redelivered
 * message, the lost-message repair) calls `recordLastEvent` first: the append is idempotent (`seq`), so
 * doing it when the event is already there stores nothing new.
 */
import type { HistoryEvent, RolloutClusterRecord } from '../domain/records.js';
import type { ServiceDeps } from './serviceDeps.js';
import { errorText } from './writeClusterRow.js';

/** The history event a row's `lastEvent` stands for. */
export function rowHistoryEvent(row: RolloutClusterRecord): HistoryEvent | undefined {
  const e = row.lastEvent;
  if (!e) return undefined;
  const { rolloutId, clusterId } = row;
  return { clusterId, actor: `rollout:${rolloutId}`, rolloutId, ...e };
}

/** Appends the row's last event again (a no-op when it is already in history). Never throws. */
export async function recordLastEvent(
  deps: Pick<ServiceDeps, 'history' | 'log'>,
  row: RolloutClusterRecord,
): Promise<void> {
  const event = rowHistoryEvent(row);
  if (!event) return;
  try {
    await deps.history.append([event]);
  } catch (err) {
    const { rolloutId, clusterId } = row;
    deps.log.error('History append failed', {
      rolloutId,
      clusterId,
      action: event.action,
      error: errorText(err),
    });
  }
}

/** How the host delivered a queue message: `dequeueCount` is 1 the first time, more after a worker died or threw. */
export interface Delivery {
  dequeueCount: number;
}

/** A redelivered message first makes sure the last event of its row is in history (see the top of the file). */
export async function recordLastEventIfRedelivered(
  deps: Pick<ServiceDeps, 'history' | 'log' | 'rollouts'>,
  msg: { rolloutId: string; clusterId: string },
  delivery: Delivery | undefined,
): Promise<void> {
  if (!delivery || delivery.dequeueCount <= 1) return;
  const row = await deps.rollouts.getCluster(msg.rolloutId, msg.clusterId);
  if (row) await recordLastEvent(deps, row.value);
}

/**
 * The cluster rows' history outbox. `writeClusterRow` keeps the event of a write on the row itself
 * (`lastEvent`, in the same conditional write) and appends it to history right after; a worker that dies
 * between the two leaves the event only on the row. Two rules keep every event:
 * - nobody replaces an event that history may lack: a write that puts a new event on a row first makes sure
 *   the row's current one is in history (`recordReplacedEvents`; skipped when this process appended it);
 * - whoever takes a row's work over (the redelivered message, the lost-message repair) calls
 *   `recordLastEvent` first, for a last event that no later write replaces.
 * The append is idempotent (`seq`), so doing it when the event is already there stores nothing new.
 */
import type { HistoryStore } from '../domain/ports.js';
import type { HistoryEvent, RolloutClusterRecord } from '../domain/records.js';
import type { ServiceDeps } from './serviceDeps.js';
import { errorText } from './writeClusterRow.js';

/** Per history store: the newest event `seq` this process saw stored for each row (a bounded memory). */
const stored = new WeakMap<HistoryStore, Map<string, number>>();
const REMEMBERED_ROWS = 50_000;
const rowKey = (r: RolloutClusterRecord) => `${r.rolloutId}|${r.clusterId}`;

function remember(history: HistoryStore, rows: readonly RolloutClusterRecord[]): void {
  let seen = stored.get(history);
  if (!seen) stored.set(history, (seen = new Map()));
  for (const r of rows) {
    const seq = r.lastEvent?.seq;
    if (seq === undefined) continue;
    const key = rowKey(r);
    seen.delete(key);
    seen.set(key, seq);
    if (seen.size > REMEMBERED_ROWS) seen.delete(seen.keys().next().value as string);
  }
}

const known = (history: HistoryStore, r: RolloutClusterRecord) =>
  r.lastEvent === undefined || stored.get(history)?.get(rowKey(r)) === r.lastEvent.seq;

/**
 * Before writes that replace these rows' last events: appends those history may lack. Throws when the
 * append fails, so that the write is not made (the event would be lost with it).
 */
export async function recordReplacedEvents(
  deps: Pick<ServiceDeps, 'history'>,
  rows: readonly RolloutClusterRecord[],
): Promise<void> {
  const unsure = rows.filter((r) => !known(deps.history, r));
  const events = unsure.map(rowHistoryEvent).filter((e): e is HistoryEvent => e !== undefined);
  if (events.length === 0) return;
  await deps.history.append(events);
  remember(deps.history, unsure);
}

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
  await recordLastEvents(deps, [row]);
}

/** The last events of these rows that this process has not seen stored, appended. Never throws. */
export async function recordLastEvents(
  deps: Pick<ServiceDeps, 'history' | 'log'>,
  rows: readonly RolloutClusterRecord[],
): Promise<void> {
  try {
    await recordReplacedEvents(deps, rows);
  } catch (err) {
    deps.log.error('History append failed', {
      rows: rows.map((r) => `${r.rolloutId} ${r.clusterId} ${r.lastEvent?.action ?? ''}`).slice(0, 5),
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

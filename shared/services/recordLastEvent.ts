/**
 * The cluster rows' history outbox, carried out (its rules: shared/domain/clusterHop/rowEvents.ts).
 * `writeClusterRow` keeps the event of a write on the row itself (`lastEvent`, in the same conditional
 * write), with the earlier events history may lack (`heldEvents`), and appends them when the row settles;
 * a worker that dies before the append leaves them on the row. Two rules keep every event:
 * - nobody drops an event that history may lack: a write carries the row's unsure events forward, or
 *   appends them first (`recordReplacedEvents`); what this process appended it remembers (`storedSeq`);
 * - whoever takes a row's work over (the redelivered message, the lost-message repair, the poison worker)
 *   calls `recordLastEvent` first, for events that no later write would carry.
 * The append is idempotent (`seq`), so doing it when the events are already there stores nothing new.
 */
import type { HistoryStore } from '../domain/ports.js';
import type { HistoryEvent, RolloutClusterRecord, RowHistoryEvent } from '../domain/records.js';
import { unsureEvents } from '../domain/clusterHop/rowEvents.js';
import type { ServiceDeps } from './serviceDeps.js';
import { errorText } from './writeClusterRow.js';

/** Per history store: the newest event `seq` this process saw stored for each row (a bounded memory). */
const stored = new WeakMap<HistoryStore, Map<string, number>>();
const REMEMBERED_ROWS = 50_000;
const rowKey = (r: Pick<RolloutClusterRecord, 'rolloutId' | 'clusterId'>) => `${r.rolloutId}|${r.clusterId}`;

function remember(history: HistoryStore, row: RolloutClusterRecord, seq: number): void {
  let seen = stored.get(history);
  if (!seen) stored.set(history, (seen = new Map()));
  const key = rowKey(row);
  seen.delete(key);
  seen.set(key, seq);
  if (seen.size > REMEMBERED_ROWS) seen.delete(seen.keys().next().value as string);
}

/** Every event of the row up to this `seq` is in history, as far as this process knows (undefined: unknown). */
export function storedSeq(history: HistoryStore, row: RolloutClusterRecord): number | undefined {
  return stored.get(history)?.get(rowKey(row));
}

/** The history events these row events stand for. */
export function rowHistoryEvents(
  row: RolloutClusterRecord,
  events: readonly RowHistoryEvent[],
): HistoryEvent[] {
  const { rolloutId, clusterId } = row;
  return events.map((e) => ({ clusterId, actor: `rollout:${rolloutId}`, rolloutId, ...e }));
}

/**
 * Appends these events of the rows (one batch per cluster: they share its history partition) and remembers
 * them stored. Throws when the append fails.
 */
export async function appendRowEvents(
  deps: Pick<ServiceDeps, 'history'>,
  rows: readonly { row: RolloutClusterRecord; events: readonly RowHistoryEvent[] }[],
): Promise<void> {
  const todo = rows.filter((r) => r.events.length > 0);
  if (todo.length === 0) return;
  await deps.history.append(todo.flatMap((r) => rowHistoryEvents(r.row, r.events)));
  for (const { row, events } of todo) remember(deps.history, row, Math.max(...events.map((e) => e.seq)));
}

/**
 * Before writes that replace these rows' outboxes: appends the events history may lack. Throws when the
 * append fails, so that the write is not made (the events would be lost with it).
 */
export async function recordReplacedEvents(
  deps: Pick<ServiceDeps, 'history'>,
  rows: readonly RolloutClusterRecord[],
): Promise<void> {
  await appendRowEvents(
    deps,
    rows.map((row) => ({ row, events: unsureEvents(row, storedSeq(deps.history, row)) })),
  );
}

/** Appends the row's outbox again (a no-op when history has it). Never throws. */
export async function recordLastEvent(
  deps: Pick<ServiceDeps, 'history' | 'log'>,
  row: RolloutClusterRecord,
): Promise<void> {
  await recordLastEvents(deps, [row]);
}

/** The outbox events of these rows that this process has not seen stored, appended. Never throws. */
export async function recordLastEvents(
  deps: Pick<ServiceDeps, 'history' | 'log'>,
  rows: readonly RolloutClusterRecord[],
): Promise<void> {
  try {
    await recordReplacedEvents(deps, rows);
  } catch (err) {
    logAppendFailed(deps, rows, err);
  }
}

/** The log line of a failed append (the events stay on their rows for the next taker). */
export function logAppendFailed(
  deps: Pick<ServiceDeps, 'log'>,
  rows: readonly RolloutClusterRecord[],
  err: unknown,
): void {
  deps.log.error('History append failed', {
    rows: rows.map((r) => `${r.rolloutId} ${r.clusterId} ${r.lastEvent?.action ?? ''}`).slice(0, 5),
    error: errorText(err),
  });
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

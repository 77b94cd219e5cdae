/**
 * A cluster row's history outbox, decided. Every write that carries a history event keeps it on the row
 * (`lastEvent`, with the next `seq`) in the same ETag-conditional write. The events history may still lack
 * stay on the row too (`heldEvents`), so a worker that dies before an append loses nothing: whoever takes
 * the row's work over appends them (idempotent: an event's `seq` makes its history RowKey).
 *
 * When the write leaves the row where the hop will write it again (Pending, InProgress), its events wait on
 * the row and are appended together when the row settles: one history batch per hop (the cluster's events
 * share one history partition) instead of one append per event (issue 15: three history requests per hop
 * were a quarter of its Table requests). History therefore shows a hop's events once the hop ends; the row
 * shows them meanwhile. At most `MAX_HELD_EVENTS` wait: past that, they are appended before the write.
 *
 * `storedSeq` is what the caller knows history holds for the row (every event with a `seq` up to it);
 * undefined when it knows nothing (another instance appended them, or nobody did).
 */
import type { ClusterState } from '../rolloutState.js';
import type { RolloutClusterRecord, RowHistoryEvent } from '../records.js';

export const MAX_HELD_EVENTS = 8;

/** States the hop writes again (dispatch, its step, its check, a cancel): events on such a row may wait. */
export function eventsMayWait(state: ClusterState): boolean {
  return state === 'Pending' || state === 'InProgress';
}

/** The row's events history may lack, oldest first: `heldEvents` then `lastEvent`, minus those known stored. */
export function unsureEvents(
  row: Pick<RolloutClusterRecord, 'heldEvents' | 'lastEvent'>,
  storedSeq?: number,
): RowHistoryEvent[] {
  const all = [...(row.heldEvents ?? []), ...(row.lastEvent ? [row.lastEvent] : [])];
  return storedSeq === undefined ? all : all.filter((e) => e.seq > storedSeq);
}

export interface EventWrite {
  /** Append these before the write (the row can hold no more). */
  before: RowHistoryEvent[];
  /** The row's new outbox. */
  heldEvents: RowHistoryEvent[];
  lastEvent: RowHistoryEvent;
  /** Append these after the write (the row settled): the held ones and the new one, as one batch. */
  after: RowHistoryEvent[];
}

/** Where a write's new `event` (its `seq` set) and the row's unsure events go, for a row that becomes `state`. */
export function planEventWrite(
  row: Pick<RolloutClusterRecord, 'heldEvents' | 'lastEvent'>,
  state: ClusterState,
  event: RowHistoryEvent,
  storedSeq?: number,
): EventWrite {
  const unsure = unsureEvents(row, storedSeq);
  if (!eventsMayWait(state))
    return { before: [], heldEvents: unsure, lastEvent: event, after: [...unsure, event] };
  if (unsure.length >= MAX_HELD_EVENTS)
    return { before: unsure, heldEvents: [], lastEvent: event, after: [] };
  return { before: [], heldEvents: unsure, lastEvent: event, after: [] };
}

/**
 * The one way the cluster workers change a rollout's cluster row: an ETag-conditional write (a
 * ConcurrencyError reaches the caller, which re-reads and decides again) that also keeps the write's audit
 * event on the row (`lastEvent`, with the earlier ones history may lack in `heldEvents`), then, when the row
 * settled, those events appended to history as one batch (shared/domain/clusterHop/rowEvents.ts), then the
 * messages that follow from the new state, then, when the row left InProgress, `onSlotFreed` (so the wave's
 * next cluster starts at once; the cluster's lease is free from that write on, see `clusterLease`). A crash
 * after the write loses at most the history append and the follow-ups: the redelivered message (or the
 * lost-message repair) appends the row's outbox again (`recordLastEvent`, idempotent) and re-sends what is
 * missing (see the workers); the reconcile timer frees the slot.
 */
import type { Decision, RowChange as DomainRowChange } from '../domain/clusterHop/hopDecision.js';
import type { QueueName, RolloutClusterRecord, Versioned } from '../domain/records.js';
import type { ClusterWorkMessage } from '../domain/records.js';
import { ConcurrencyError } from '../domain/errors.js';
import { planEventWrite, type EventWrite } from '../domain/clusterHop/rowEvents.js';
import { appendRowEvents, logAppendFailed, storedSeq } from './recordLastEvent.js';
import { dropRowCopy, keepRowCopy } from './rowCopies.js';
import type { ServiceDeps } from './serviceDeps.js';

export type ClusterRow = Versioned<RolloutClusterRecord>;

export interface RowChange extends DomainRowChange {
  send?: { queue: QueueName; message: ClusterWorkMessage; delayMs?: number }[];
}

export async function writeClusterRow(
  deps: ServiceDeps,
  row: ClusterRow,
  change: RowChange,
): Promise<ClusterRow> {
  const now = deps.clock.now().toISOString();
  const value: RolloutClusterRecord = { ...row.value, ...change.set, updatedAt: now };
  for (const [k, v] of Object.entries(change.set))
    if (v === undefined) delete (value as unknown as Record<string, unknown>)[k];
  let events: EventWrite | undefined;
  if (change.event) {
    const event = { at: now, ...change.event, seq: (row.value.lastEvent?.seq ?? 0) + 1 };
    events = planEventWrite(row.value, value.state, event, storedSeq(deps.history, row.value));
    await appendRowEvents(deps, [{ row: row.value, events: events.before }]);
    value.lastEvent = events.lastEvent;
    if (events.heldEvents.length > 0) value.heldEvents = events.heldEvents;
    else delete value.heldEvents;
  }
  let etag: string;
  try {
    etag = await deps.rollouts.updateCluster(value, row.etag);
  } catch (e) {
    if (e instanceof ConcurrencyError) dropRowCopy(deps.rollouts, value.rolloutId, value.clusterId);
    throw e;
  }
  keepRowCopy(deps.rollouts, { value, etag });
  const { rolloutId, clusterId } = value;
  deps.log.info('Cluster row updated', {
    rolloutId,
    clusterId,
    hop: value.hop,
    state: value.state,
    reason: value.reason,
  });
  if (events?.after.length) {
    try {
      await appendRowEvents(deps, [{ row: value, events: events.after }]);
    } catch (err) {
      logAppendFailed(deps, [value], err);
    }
  }
  for (const m of change.send ?? [])
    await deps.queue.send(m.queue, m.message, m.delayMs ? { delayMs: m.delayMs } : undefined);
  if (row.value.state === 'InProgress' && value.state !== 'InProgress') {
    try {
      await deps.onSlotFreed?.(rolloutId);
    } catch (err) {
      deps.log.error('Slot freed callback failed', { rolloutId, clusterId, error: errorText(err) });
    }
  }
  return { value, etag };
}

/**
 * Carries out a decision of shared/domain/clusterHop on `row`: the lease renewal is the caller's; here the
 * row change with its event and then the sends, or, for a note, the sends first and then the note (a lost
 * ETag race on a note is fine: the message carries the work). Returns the row as written.
 */
export async function carryOut(
  deps: ServiceDeps,
  row: ClusterRow,
  d: Decision<unknown>,
): Promise<ClusterRow> {
  if (d.change && !d.change.note) return writeClusterRow(deps, row, { ...d.change, send: d.sends });
  for (const m of d.sends)
    await deps.queue.send(m.queue, m.message, m.delayMs ? { delayMs: m.delayMs } : undefined);
  if (!d.change) return row;
  try {
    return await writeClusterRow(deps, row, d.change);
  } catch (e) {
    if (!(e instanceof ConcurrencyError)) throw e;
    return row;
  }
}

export function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/**
 * The one way the cluster workers change a rollout's cluster row: an ETag-conditional write (a
 * ConcurrencyError reaches the caller, which re-reads and decides again) that also keeps the write's audit
 * event on the row (`lastEvent`), then that event appended to history, then the messages that follow from
 * the new state, then, when the row left InProgress, `onSlotFreed` (so the wave's next cluster starts at
 * once; the cluster's lease is free from that write on, see `clusterLease`). A crash after the write loses
 * at most the history append and the follow-ups: the redelivered message (or the lost-message repair)
 * appends the row's last event again (`recordLastEvent`, idempotent) and re-sends what is missing (see the
 * workers); the reconcile timer frees the slot. The event goes before the follow-ups so that no later
 * write can replace a `lastEvent` that was never appended.
 */
import type {
  ClusterWorkMessage,
  HistoryEvent,
  QueueName,
  RolloutClusterRecord,
  Versioned,
} from '../domain/records.js';
import { ConcurrencyError } from '../domain/errors.js';
import { recordLastEvent } from './recordLastEvent.js';
import type { ServiceDeps } from './serviceDeps.js';
import type { StepResult } from './stepResult.js';
import { requeued } from './stepResult.js';

export type ClusterRow = Versioned<RolloutClusterRecord>;

export interface RowEvent {
  action: string;
  result: HistoryEvent['result'];
  from?: string | null;
  to?: string | null;
  reason?: string;
  message?: string;
}

export interface RowChange {
  /** Fields to set; a key present with `undefined` (e.g. `operation`) clears that field. */
  set: Partial<RolloutClusterRecord>;
  event?: RowEvent;
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
  if (change.event) value.lastEvent = { at: now, ...change.event, seq: (row.value.lastEvent?.seq ?? 0) + 1 };
  const etag = await deps.rollouts.updateCluster(value, row.etag);
  const { rolloutId, clusterId } = value;
  deps.log.info('Cluster row updated', {
    rolloutId,
    clusterId,
    hop: value.hop,
    state: value.state,
    reason: value.reason,
  });
  if (change.event) await recordLastEvent(deps, value);
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
 * Sends the same work again after `delayMs` and notes the reason on the row, state unchanged. The message
 * goes first: a crash after it at worst loses the note, never the work. A lost race on the note is fine.
 * The note is written every time: it bumps `updatedAt`, which the reconcile's lost-message repair reads
 * (a row waiting on a busy lease must not look abandoned and get a second step chain).
 */
export async function requeueWork(
  deps: ServiceDeps,
  row: ClusterRow,
  queue: QueueName,
  message: ClusterWorkMessage,
  why: { reason: string; message?: string; delayMs: number },
): Promise<StepResult> {
  await deps.queue.send(queue, message, { delayMs: why.delayMs });
  const { rolloutId, clusterId } = row.value;
  deps.log.info('Cluster work requeued', {
    rolloutId,
    clusterId,
    hop: message.hop,
    reason: why.reason,
    delayMs: why.delayMs,
  });
  try {
    await writeClusterRow(deps, row, { set: { reason: why.reason, message: why.message } });
  } catch (e) {
    if (!(e instanceof ConcurrencyError)) throw e;
  }
  return requeued(why.reason, why.delayMs);
}

/** `Install`, `Upgrade` or `Reconfigure`: the verb of the row's history actions. */
export function hopVerb(row: RolloutClusterRecord): 'Install' | 'Upgrade' | 'Reconfigure' {
  if (row.plannedAction === 'install') return 'Install';
  if (row.plannedAction === 'reconfigure') return 'Reconfigure';
  return 'Upgrade';
}

/** The version the hop starts from (the previous hop's target, or the row's `from`) and its target. */
export function hopVersions(row: RolloutClusterRecord, hop = row.hop): { from: string | null; to: string } {
  const from = hop > 0 ? (row.path[hop - 1] ?? row.from) : row.from;
  return { from, to: row.path[hop] ?? row.to };
}

export function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** The row fails with the reason (ARM's code where there is one); the intent is dropped: nothing runs. */
export async function failHop(
  ctx: { deps: ServiceDeps; from: string | null; to: string },
  row: ClusterRow,
  reason: string,
  message: string,
): Promise<StepResult> {
  await writeClusterRow(ctx.deps, row, {
    set: { state: 'Failed', reason, message, operation: undefined },
    event: {
      action: `${hopVerb(row.value)}Failed`,
      result: 'Failed',
      from: ctx.from,
      to: ctx.to,
      reason,
      message,
    },
  });
  return { outcome: 'stalled', reason };
}

/**
 * The connected cluster was deleted under the hop: its work ends Skipped `ClusterDeleted` (as the delete
 * event makes it), not Failed, so a deletion never counts toward the halt threshold, whichever of the
 * worker and Event Grid notices it first.
 */
export async function endDeleted(
  ctx: { deps: ServiceDeps; from: string | null; to: string },
  row: ClusterRow,
): Promise<StepResult> {
  const message = `the connected cluster ${row.value.clusterId} was deleted`;
  await writeClusterRow(ctx.deps, row, {
    set: { state: 'Skipped', reason: 'ClusterDeleted', message, operation: undefined },
    event: {
      action: 'ClusterRemoved',
      result: 'Skipped',
      from: ctx.from,
      to: ctx.to,
      reason: 'ClusterDeleted',
      message,
    },
  });
  return { outcome: 'stalled', reason: 'ClusterDeleted' };
}

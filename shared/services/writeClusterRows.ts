/**
 * Applies one transition to many cluster rows with ETag-conditional writes: batches of up to 100 rows
 * (one transaction each); when a batch meets a changed row (ConcurrencyError), its rows are re-read and
 * written one by one, the transition deciding again on the fresh row. A transition returns undefined when
 * it no longer applies (another instance or a worker moved the row), and that row is left alone, so two
 * instances never both move the same row. `beforeWrite`, when given, sees the rows as they are just before
 * each write (the outbox: their events are appended before a transition replaces them). The rows written
 * are kept as this process's copies with their new ETags where the store gave them (rowCopies.ts), so the
 * step a dispatch sends decides without reading its row again.
 */
import { ConcurrencyError } from '../domain/errors.js';
import type { RolloutClusterRecord, RowHistoryEvent, Versioned } from '../domain/records.js';
import { recordLastEvents, recordReplacedEvents } from './recordLastEvent.js';
import { MAX_ROWS_PER_TRANSACTION } from '../domain/storeRules.js';
import type { ServiceDeps } from './serviceDeps.js';
import { keepRowCopy } from './rowCopies.js';

export type RowTransition = (row: RolloutClusterRecord) => RolloutClusterRecord | undefined;
type BeforeWrite = (current: readonly RolloutClusterRecord[]) => Promise<void>;

const BATCH = MAX_ROWS_PER_TRANSACTION;
const ATTEMPTS = 3;

/** Returns the rows written, as written. */
export async function writeClusterRows(
  deps: Pick<ServiceDeps, 'rollouts'>,
  rows: readonly Versioned<RolloutClusterRecord>[],
  transition: RowTransition,
  beforeWrite?: BeforeWrite,
): Promise<RolloutClusterRecord[]> {
  const written: RolloutClusterRecord[] = [];
  for (let i = 0; i < rows.length; i += BATCH) {
    const moved = rows.slice(i, i + BATCH).filter((r) => transition(r.value) !== undefined);
    const batch = moved.map((r) => ({ value: transition(r.value)!, etag: r.etag }));
    if (batch.length === 0) continue;
    try {
      await beforeWrite?.(moved.map((r) => r.value));
      const etags = await deps.rollouts.updateClusters(batch);
      batch.forEach(({ value }, j) => {
        const etag = etags[j];
        if (etag) keepRowCopy(deps.rollouts, { value, etag });
      });
      written.push(...batch.map((b) => b.value));
    } catch (err) {
      if (!(err instanceof ConcurrencyError)) throw err;
      for (const b of batch) {
        const one = await writeOne(deps, b.value.rolloutId, b.value.clusterId, transition, beforeWrite);
        if (one) written.push(one);
      }
    }
  }
  return written;
}

/**
 * `writeClusterRows` for a change that has a history event: the event goes on each row as its outbox
 * (`lastEvent`, writeClusterRow.ts), the events it replaces (`lastEvent`, `heldEvents`) are appended
 * first, and the new ones after.
 */
export async function writeClusterRowsWithEvent(
  deps: Pick<ServiceDeps, 'rollouts' | 'history' | 'log'>,
  rows: readonly Versioned<RolloutClusterRecord>[],
  transition: RowTransition,
  event: (next: RolloutClusterRecord) => Omit<RowHistoryEvent, 'seq'>,
): Promise<RolloutClusterRecord[]> {
  const written = await writeClusterRows(
    deps,
    rows,
    (r) => {
      const next = transition(r);
      if (!next) return undefined;
      const { heldEvents: _appendedBefore, ...rest } = next;
      return { ...rest, lastEvent: { ...event(next), seq: (r.lastEvent?.seq ?? 0) + 1 } };
    },
    (current) => recordReplacedEvents(deps, current),
  );
  await recordLastEvents(deps, written);
  return written;
}

async function writeOne(
  deps: Pick<ServiceDeps, 'rollouts'>,
  rolloutId: string,
  clusterId: string,
  transition: RowTransition,
  beforeWrite?: BeforeWrite,
): Promise<RolloutClusterRecord | undefined> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const current = await deps.rollouts.getCluster(rolloutId, clusterId);
    if (!current) return undefined;
    const next = transition(current.value);
    if (!next) return undefined;
    await beforeWrite?.([current.value]);
    try {
      keepRowCopy(deps.rollouts, {
        value: next,
        etag: await deps.rollouts.updateCluster(next, current.etag),
      });
      return next;
    } catch (err) {
      if (!(err instanceof ConcurrencyError)) throw err;
    }
  }
  return undefined;
}

/**
 * One instance's copy of the rows of the rollouts it reconciles, kept fresh by reading only what the store
 * wrote since the last read (`changedSince`, by the store's own clock, minus a margin for writes committed
 * out of order). A reconcile after a freed slot then reads the few rows that moved instead of every row of
 * the rollout: with one pass per finished hop, full reads grow with the square of the fleet
 * (docs/performance.md, docs/scaling.md).
 *
 * A copy can only be older than the store, never ahead of it, and every write the reconcile makes from it is
 * ETag-conditional, so a stale row costs a failed write, never a double dispatch. The timer's pass reads
 * every row (`full`), which also resets the copy.
 */
import type { RolloutClusterRecord, Versioned } from '../domain/records.js';
import type { RolloutStore } from '../domain/ports.js';
import { loadRolloutClusters } from './loadRolloutClusters.js';
import { normalizeId } from '../domain/armId.js';

type Row = Versioned<RolloutClusterRecord>;

interface Entry {
  rows: Map<string, Row>;
  /** The newest `changedAt` seen (ms). */
  watermark: number;
}

export class RolloutRowCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    /** Rows written up to this long before the watermark are read again. */
    private readonly marginMs = 5_000,
    /** Rollouts kept; the least recently read is dropped first. */
    private readonly maxRollouts = 20,
  ) {}

  /** Every row of the rollout, in the store's order; `full` reads them all from the store. */
  async rows(store: RolloutStore, rolloutId: string, full = false): Promise<Row[]> {
    const known = full ? undefined : this.entries.get(rolloutId);
    const since = known ? new Date(known.watermark - this.marginMs) : undefined;
    const changed = await loadRolloutClusters(
      { rollouts: store },
      rolloutId,
      since && { changedSince: since },
    );
    const entry = known ?? { rows: new Map<string, Row>(), watermark: 0 };
    for (const row of changed) {
      entry.rows.set(normalizeId(row.value.clusterId), row);
      const at = row.changedAt ? Date.parse(row.changedAt) : NaN;
      if (at > entry.watermark) entry.watermark = at;
    }
    this.entries.delete(rolloutId);
    this.entries.set(rolloutId, entry);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxRollouts) break;
      this.entries.delete(oldest);
    }
    // Without the store's timestamps there is no watermark: the next read is a full one.
    if (entry.watermark === 0) this.entries.delete(rolloutId);
    return [...entry.rows.values()];
  }

  /** Drops the copy (the rollout ended, or a caller knows it is wrong). */
  forget(rolloutId: string): void {
    this.entries.delete(rolloutId);
  }
}

/**
 * The rules every store of the ports (ports.ts) keeps, written once so that the Table Storage adapters and the
 * in-memory doubles of the tests cannot disagree: which rollouts are active, how many cluster rows one
 * transaction takes, which rows a call may name, and what an inventory filter means.
 */
import { ValidationError } from './errors.js';
import { normalizeId } from './armId.js';

export { ACTIVE_ROLLOUT_STATES } from './rolloutState.js';

/** Rows in one transaction (Table Storage's entity group transactions take at most 100 operations). */
export const MAX_ROWS_PER_TRANSACTION = 100;

/** The key of a rollout or cluster id as the stores compare them (ARM ids are case-insensitive). */
const keyOf = (id: string) => normalizeId(id);

/** `create` takes only rows of the rollout it creates. */
export function checkRowsBelongTo(
  rolloutId: string,
  rows: readonly { rolloutId: string; clusterId: string }[],
) {
  const stranger = rows.find((c) => keyOf(c.rolloutId) !== keyOf(rolloutId));
  if (stranger)
    throw new ValidationError(
      `cluster row ${stranger.clusterId} belongs to rollout ${stranger.rolloutId}, not ${rolloutId}`,
    );
}

/** `updateClusters`: rows of one rollout, at most one transaction's worth, each cluster named once. */
export function checkClusterTransaction(rows: readonly { rolloutId: string; clusterId: string }[]): void {
  const first = rows[0];
  if (!first) return;
  if (rows.some((r) => keyOf(r.rolloutId) !== keyOf(first.rolloutId)))
    throw new ValidationError('updateClusters takes rows of one rollout only');
  if (rows.length > MAX_ROWS_PER_TRANSACTION)
    throw new ValidationError(
      `updateClusters takes at most ${MAX_ROWS_PER_TRANSACTION} rows (one transaction)`,
    );
  if (new Set(rows.map((r) => keyOf(r.clusterId))).size !== rows.length)
    throw new ValidationError('updateClusters names a cluster twice');
}

/**
 * The OSM version an inventory filter asks for, as stored: `'none'` (any case) or `''` means "no OSM
 * extension", stored as the empty string.
 */
export function inventoryOsmFilter(osmVersion: string): string {
  return osmVersion.toLowerCase() === 'none' ? '' : osmVersion;
}

/** The latest instant a history event may carry (13 digits of milliseconds, the history row key's width). */
export const MAX_HISTORY_MS = 9_999_999_999_999;

/** A history event's `at` must be a valid instant between 1970 and the year 2286. */
export function checkHistoryTime(at: string): number {
  const ms = Date.parse(at);
  if (Number.isNaN(ms) || ms < 0 || ms > MAX_HISTORY_MS)
    throw new ValidationError(`history event time "${at}" is not valid`);
  return ms;
}

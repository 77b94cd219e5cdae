/**
 * The cluster rows this process last wrote or read, with their ETags (one map per rollout store, bounded):
 * the step a dispatch sends, the check that follows a step, and each check after a check usually run in
 * the process that wrote the row a few seconds before (the dispatch's batch answers with the rows' new
 * ETags) while nobody has written it since, so they decide on that copy instead of reading the row again
 * (issue 15: a row read per message). A copy can only be older than the row, never ahead of it: every
 * write made from it is ETag-conditional, so a stale copy costs a failed write, a fresh read and a second
 * decision. A worker takes a copy only on a first delivery and only when it agrees with the message, and
 * decides again on a fresh read before it drops a message (applyClusterStep, checkClusterStep). In Azure,
 * with N instances, a message meets its copy about one time in N; a miss reads the row as before.
 */
import type { RolloutStore } from '../domain/ports.js';
import type { ClusterWorkMessage } from '../domain/records.js';
import { checkedOperation } from '../domain/clusterHop/decideCheck.js';
import type { ClusterRow } from './writeClusterRow.js';

const KEPT = 5_000;
const copies = new WeakMap<RolloutStore, Map<string, ClusterRow>>();
const key = (rolloutId: string, clusterId: string) => `${rolloutId}|${clusterId.toLowerCase()}`;

export function keepRowCopy(store: RolloutStore, row: ClusterRow): void {
  let kept = copies.get(store);
  if (!kept) copies.set(store, (kept = new Map()));
  const k = key(row.value.rolloutId, row.value.clusterId);
  kept.delete(k);
  kept.set(k, row);
  if (kept.size > KEPT) kept.delete(kept.keys().next().value as string);
}

export function dropRowCopy(store: RolloutStore, rolloutId: string, clusterId: string): void {
  copies.get(store)?.delete(key(rolloutId, clusterId));
}

/** The copy of the message's row when it agrees with a step message: InProgress at its hop. */
export function stepRowCopy(store: RolloutStore, msg: ClusterWorkMessage): ClusterRow | undefined {
  const row = copyOf(store, msg);
  return row?.value.state === 'InProgress' && row.value.hop === msg.hop ? row : undefined;
}

/** The copy of the message's row when it agrees with a check message: InProgress at its hop, its operation. */
export function checkRowCopy(store: RolloutStore, msg: ClusterWorkMessage): ClusterRow | undefined {
  const row = stepRowCopy(store, msg);
  const op = row?.value.operation;
  return op && checkedOperation(op, msg) ? row : undefined;
}

function copyOf(store: RolloutStore, msg: ClusterWorkMessage): ClusterRow | undefined {
  return copies.get(store)?.get(key(msg.rolloutId, msg.clusterId));
}

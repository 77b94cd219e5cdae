/**
 * Pure helpers behind the views (no DOM here, so unit tests can import them): counts to bar segments,
 * the failure rate of a rollout against its threshold, which commands a rollout accepts, grouping for charts.
 */
import type { ClusterCounts, Cluster, Command, Rollout, RolloutState } from './types.js';

/** States in which a rollout can still change: the page refreshes itself while a rollout is in one. */
export const ACTIVE: readonly RolloutState[] = ['Pending', 'Running', 'Paused', 'Halted'];

/** Bar segments in drawing order; `percent` of the wave's clusters, the segments sum to 100 (or 0). */
export const SEGMENTS: readonly (keyof ClusterCounts)[] = [
  'succeeded',
  'failed',
  'skipped',
  'cancelled',
  'inProgress',
  'awaitingApproval',
  'deferred',
  'pending',
];

export function total(c: ClusterCounts): number {
  return SEGMENTS.reduce((n, k) => n + c[k], 0);
}

/** Clusters that will not change any more (succeeded, failed, skipped, cancelled). */
export function settled(c: ClusterCounts): number {
  return c.succeeded + c.failed + c.skipped + c.cancelled;
}

export function segments(c: ClusterCounts): { key: keyof ClusterCounts; count: number; percent: number }[] {
  const all = total(c);
  return SEGMENTS.filter((k) => c[k] > 0).map((key) => ({
    key,
    count: c[key],
    percent: all === 0 ? 0 : (c[key] * 100) / all,
  }));
}

export interface FailureRate {
  failed: number;
  dispatched: number;
  /** failed / dispatched in percent, one decimal; 0 when nothing was dispatched. */
  percent: number;
  /** True when the share is strictly above the threshold (the engine's halt rule). */
  breached: boolean;
}

/** The engine's halt rule: failures among dispatched clusters (InProgress + Succeeded + Failed). */
export function failureRate(c: ClusterCounts, maxFailurePercent?: number): FailureRate {
  const dispatched = c.inProgress + c.succeeded + c.failed;
  const percent = dispatched === 0 ? 0 : Math.round((c.failed * 1000) / dispatched) / 10;
  const breached =
    maxFailurePercent !== undefined && c.failed > 0 && c.failed * 100 > maxFailurePercent * dispatched;
  return { failed: c.failed, dispatched, percent, breached };
}

/** The commands that make sense for the rollout now (the API still has the last word). */
export function commandsFor(r: Pick<Rollout, 'state' | 'counts'>): Command[] {
  const finished = !ACTIVE.includes(r.state);
  const out: Command[] = [];
  if (r.state === 'Pending' || r.state === 'Running') out.push('pause');
  if (r.state === 'Paused' || r.state === 'Halted') out.push('resume');
  if (!finished) out.push('cancel');
  if (r.counts.failed > 0 && r.state !== 'Succeeded' && r.state !== 'Cancelled') out.push('retry-failed');
  if (r.counts.awaitingApproval > 0 && !finished) out.push('approve');
  return out;
}

/** `[label, count]` pairs, largest first (ties by label). */
export function countBy<T>(items: readonly T[], key: (t: T) => string): [string, number][] {
  const m = new Map<string, number>();
  for (const t of items) m.set(key(t), (m.get(key(t)) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export function clusterState(c: Pick<Cluster, 'connectivity' | 'removedAt'>): string {
  return c.removedAt ? 'Removed' : c.connectivity;
}

export function osmVersionOf(c: Pick<Cluster, 'osm'>): string {
  return c.osm?.version ?? 'none';
}

/** Bar lengths scaled so the largest count fills `width`. */
export function barLengths(counts: readonly number[], width: number): number[] {
  const max = Math.max(0, ...counts);
  return counts.map((n) => (max === 0 ? 0 : (n * width) / max));
}

/** `{sub}/{rg}/{name}` of an ARM cluster id (any casing), the API's cluster path; undefined if not one. */
export function clusterPath(id: string): string | undefined {
  const m = /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/[^/]+\/[^/]+\/([^/]+)$/i.exec(id);
  return m ? `${m[1]}/${m[2]}/${m[3]}` : undefined;
}

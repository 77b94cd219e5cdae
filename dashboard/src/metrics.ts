/**
 * Pure helpers behind the views (no DOM here, so unit tests can import them): counts to bar segments,
 * the failure rate of a rollout against its threshold, which commands a rollout accepts, grouping for charts.
 */
import type { ClusterCounts, Cluster, Command, Rollout, RolloutState } from './types.js';

/** States in which a rollout can still change: the page refreshes itself while a rollout is in one. */
export const ACTIVE: readonly RolloutState[] = ['Planning', 'Pending', 'Running', 'Paused', 'Halted'];
/** States a rollout never leaves. */
export const FINISHED: readonly RolloutState[] = ['Succeeded', 'Failed', 'Cancelled'];

/** Whether a rollout may still change: any state not finished, including states this page does not know. */
export function isMoving(state: RolloutState): boolean {
  return !FINISHED.includes(state);
}

/** A count that a newer or older API may leave out. */
const countOf = (c: Partial<ClusterCounts>, k: keyof ClusterCounts): number => c[k] ?? 0;

/** Counts with every key present (an unknown rollout state may come without some). */
export function fullCounts(c: Partial<ClusterCounts> | undefined): ClusterCounts {
  const out = {} as ClusterCounts;
  for (const k of SEGMENTS) out[k] = countOf(c ?? {}, k);
  return out;
}

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

/** Clusters that reached the target: what "done" means on the bars (skipped and cancelled are apart). */
export function reached(c: ClusterCounts): number {
  return c.succeeded;
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

export interface ClusterFilter {
  /** Part of the name, any case. */
  q?: string;
  /** OSM version, or `none`. */
  version?: string;
  connectivity?: string;
  policy?: string;
  subscription?: string;
  /** The OSM extension's provisioning state, or `none`. */
  state?: string;
}

export const FILTER_KEYS = ['q', 'version', 'connectivity', 'policy', 'subscription', 'state'] as const;

export function osmStateOf(c: Pick<Cluster, 'osm'>): string {
  return c.osm?.provisioningState ?? 'none';
}

/** The clusters that pass every filter given, by name. */
export function filterClusters(items: readonly Cluster[], f: ClusterFilter): Cluster[] {
  const q = f.q?.trim().toLowerCase();
  const eq = (a: string | undefined, b: string) =>
    a === undefined || a === '' || a.toLowerCase() === b.toLowerCase();
  return items
    .filter(
      (c) =>
        (!q || c.name.toLowerCase().includes(q)) &&
        eq(f.version, osmVersionOf(c)) &&
        eq(f.connectivity, clusterState(c)) &&
        eq(f.subscription, c.subscriptionId) &&
        eq(f.state, osmStateOf(c)) &&
        (!f.policy || c.policies.includes(f.policy)),
    )
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/** The API's views as the dashboard reads them (docs/api.md). */
import type { ClusterCounts, WaveState } from '../../shared/domain/rolloutCounts.js';

export type { ClusterCounts, WaveState };

/** The states known today; a newer API may send others (e.g. `Planning`), shown as they come. */
export type RolloutState =
  | 'Planning'
  | 'Pending'
  | 'Running'
  | 'Paused'
  | 'Halted'
  | 'Succeeded'
  | 'Failed'
  | 'Cancelled'
  | (string & {});
export type Command = 'pause' | 'resume' | 'cancel' | 'retry-failed' | 'approve';

export interface Page<T> {
  items: T[];
  continuationToken?: string;
}

export interface Wave {
  name: string;
  state: WaveState;
  counts: ClusterCounts;
}

export interface Rollout {
  id: string;
  policy: string;
  state: RolloutState;
  trigger: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  clusterCount: number;
  waves: Wave[];
  counts: ClusterCounts;
  haltedReason?: string;
  soakUntil?: string;
  /** The planning worker's progress (rollouts started through the API). */
  planning?: { written: number; total: number | null; finishedAt: string | null; error?: string };
}

export interface RolloutCluster {
  id: string;
  name: string;
  wave: string | null;
  state: string;
  action: string;
  from: string | null;
  to: string | null;
  reason: string | null;
  message: string | null;
  updatedAt: string;
}

export interface Cluster {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  distribution: string;
  connectivity: string;
  tags: Record<string, string>;
  osm: { name: string; version: string | null; provisioningState: string } | null;
  policies: string[];
  discoveredAt: string;
  removedAt?: string;
}

export interface HistoryEvent {
  clusterId: string;
  at: string;
  actor: string;
  rolloutId?: string;
  action: string;
  result: string;
  from?: string | null;
  to?: string | null;
  reason?: string;
  message?: string;
  /** Still waiting on the cluster's rollout row: stored in history when the hop ends. */
  pending?: true;
}

export interface Policy {
  name: string;
  description?: string;
  target?: Record<string, unknown>;
  osm?: { version: string };
  schedule?: string;
  rollout: { maxFailurePercent: number };
}

export interface ComplianceCounts {
  clusters: number;
  counts: Record<string, number>;
}

export interface ComplianceItem {
  id: string;
  name: string;
  subscriptionId: string;
  status: string;
  reason: string;
  message?: string;
  connectivity: string;
  version: string | null;
  targetVersion: string;
  path: string[];
  drift: { key: string; current: string | null; desired: string }[];
  rolloutId?: string;
}

export interface Compliance {
  policy: string;
  targetVersion: string;
  sweep: { at: string | null; ageSeconds: number | null; stale: boolean; maxAgeSeconds: number };
  lastRollout: { id: string; state: string; createdAt: string } | null;
  summary: ComplianceCounts;
  bySubscription: Record<string, ComplianceCounts>;
  clusters: Page<ComplianceItem>;
}

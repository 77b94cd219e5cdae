/** The API's views as the dashboard reads them (docs/api.md). */
import type { ClusterCounts, WaveState } from '../../shared/domain/rolloutCounts.js';

export type { ClusterCounts, WaveState };

export type RolloutState = 'Pending' | 'Running' | 'Paused' | 'Halted' | 'Succeeded' | 'Failed' | 'Cancelled';
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
}

export interface Policy {
  name: string;
  rollout: { maxFailurePercent: number };
}

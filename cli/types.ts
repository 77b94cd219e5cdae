/** The API's answers as the CLI reads them (see docs/api.md); only the fields the CLI shows are typed. */
import type { ClusterCounts } from '../shared/domain/rolloutCounts.js';
import type { PlanAction } from '../shared/domain/planner.js';

export type { ClusterCounts };

export interface PageBody<T> {
  items: T[];
  continuationToken?: string;
}

export interface PolicyView {
  name: string;
  description?: string;
  target?: Record<string, unknown>;
  osm: { version: string; releaseTrain?: string };
  rollout?: { waves: { name: string }[]; maxFailurePercent?: number };
  autoOnboard?: boolean;
  updatedAt?: string;
}

export interface PlanRow {
  id: string;
  name: string;
  wave: string | null;
  action: PlanAction;
  from: string | null;
  to: string;
  path: string[];
  reason: string;
  message?: string;
}

export interface PlanView {
  policy: string;
  generatedAt: string;
  targetVersion: string;
  summary: {
    clusters: number;
    install: number;
    upgrade: number;
    reconfigure: number;
    noChange: number;
    skipped: Record<string, number>;
  };
  clusters: PlanRow[];
  /** The stored plan and the token of its next page of rows (large fleets). */
  planId?: string;
  continuationToken?: string;
}

export interface RolloutView {
  id: string;
  policy: string;
  state: string;
  trigger?: string;
  createdAt: string;
  startedAt?: string | null;
  finishedAt?: string | null;
  clusterCount?: number;
  haltedReason?: string;
  soakUntil?: string;
  planning?: { written: number; total: number | null; finishedAt?: string | null; error?: string };
  waves: { name: string; state: string; counts: ClusterCounts }[];
  counts: ClusterCounts;
}

export interface RolloutClusterRow {
  id: string;
  name: string;
  wave: string;
  state: string;
  action: string;
  from: string | null;
  to: string;
  path: string[];
  hop: number;
  attempts: number;
  reason: string;
  message: string | null;
  updatedAt: string;
}

export interface ClusterView {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location?: string;
  distribution?: string;
  connectivity?: string;
  tags?: Record<string, string>;
  osm: {
    name: string;
    version: string;
    provisioningState?: string;
    settings?: Record<string, string>;
  } | null;
  monitor?: { installed: boolean };
  policies?: string[];
  discoveredAt?: string;
  removedAt?: string;
}

export interface HistoryEvent {
  clusterId: string;
  at: string;
  actor: string;
  rolloutId?: string;
  action: string;
  result: string;
  from: string | null;
  to: string | null;
  reason?: string;
  message?: string;
}

export interface OsmOperation {
  clusterId: string;
  action: string;
  from: string | null;
  to: string | null;
  path: string[];
  rolloutId?: string;
  state?: string;
  operationId?: string;
  message?: string;
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

export interface ComplianceCounts {
  clusters: number;
  counts: Record<string, number>;
}

export interface ComplianceView {
  policy: string;
  targetVersion: string;
  sweep: { at: string | null; ageSeconds: number | null; stale: boolean; maxAgeSeconds: number };
  lastRollout: { id: string; state: string; createdAt: string } | null;
  summary: ComplianceCounts;
  bySubscription: Record<string, ComplianceCounts>;
  clusters: PageBody<ComplianceItem>;
}

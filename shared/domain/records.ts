/**
 * The shapes osm-fleet stores (Table Storage rows, in domain terms) and exchanges through its queues.
 * Adapters map them to entities; services and the domain only see these.
 */
import type { ClusterInfo } from './cluster.js';
import type { OnboardingMark } from './connectWatch.js';
import type { ClusterPlan } from './planner.js';
import type { Policy } from './policy.js';
import type { ClusterState, Rollout } from './rolloutState.js';

/** A value read from the store together with the ETag that a conditional write must present. */
export interface Versioned<T> {
  value: T;
  etag: string;
  /** When the store last wrote it, by the store's own clock (Table Storage's `Timestamp`), where listed. */
  changedAt?: string;
}

export interface Page<T> {
  items: T[];
  continuationToken?: string;
}

export interface PageRequest {
  top?: number;
  continuationToken?: string;
}

/**
 * Where protected setting values live: one version of a Key Vault secret (a JSON object of the values).
 * Rows keep this reference and the keys, never the values (`policy.osm.configurationProtectedSettings` is
 * then `{}`); docs/security.md, item 3.
 */
export interface ProtectedSettingsRef {
  secretName: string;
  /** The secret version written with these values: versions are immutable, so the reference is exact. */
  version: string;
  /** The setting keys, sorted (what views show). */
  keys: string[];
}

/** A policy as stored: the validated policy plus bookkeeping. Protected setting values live in the vault. */
export interface StoredPolicy {
  policy: Policy;
  createdAt: string;
  updatedAt: string;
  /** The protected settings' secret version; absent when the policy has none (or on a row written before). */
  protectedSettings?: ProtectedSettingsRef;
  /** Last time the timer started a scheduled rollout of it (so a schedule fires once per occurrence). */
  lastScheduledRunAt?: string;
  /**
   * When `autoOnboard` last became true (creation with it, or an update turning it on): clusters created in
   * ARM from then on are "new since the policy" (the sweep's safety net). Absent on policies stored before
   * it existed: `updatedAt` is used.
   */
  autoOnboardSince?: string;
}

/** What an extension operation osm-fleet started is, so a check can find it and a retry can skip it. */
export interface OperationRecord {
  kind: 'put' | 'patch' | 'delete';
  /** Extension the operation is on (the adopted name or `osm`, or `azuremonitor-containers`). */
  extensionName: string;
  /** ARM's operation id (from `Azure-AsyncOperation`); absent when ARM answered synchronously. */
  operationId?: string;
  /** Version the operation moves to (put / patch of OSM). */
  targetVersion?: string;
  startedAt: string;
  /** After this instant the operation is reported stuck. */
  deadline: string;
}

export type MonitorState = 'NotRequested' | 'Pending' | 'InProgress' | 'Succeeded' | 'Failed';

/** One cluster inside one rollout (PK = rollout id). The plan's decision plus the progress made on it. */
export interface RolloutClusterRecord {
  rolloutId: string;
  /** Lower-cased ARM id. */
  clusterId: string;
  clusterName: string;
  wave: number;
  state: ClusterState;
  /** The plan's verdict at creation (action / reason), kept for the API. */
  plannedAction: ClusterPlan['action'];
  extensionName: string;
  distribution: string;
  from: string | null;
  to: string;
  /** Versions to pass through, ending at `to` (an install or reconfigure has `[to]`). */
  path: string[];
  /** Index in `path` of the hop in progress or next to start. */
  hop: number;
  /** Indexes of hops that need the manual CRD step; held until `approved`. */
  crdStepHops: number[];
  approved: boolean;
  /** PUT attempts (intents written) over all hops and retries: kept for operators, never reset. */
  attempts: number;
  /**
   * PUT attempts of the current hop: reset when a hop completes and on retry-failed. What bounds sending
   * a hop again when its PUT left no trace (`MAX_HOP_ATTEMPTS`); absent on rows written before it existed.
   */
  hopAttempts?: number;
  lastAttemptedVersion?: string;
  lastAppliedVersion?: string;
  operation?: OperationRecord;
  /**
   * Set when a worker chose to wait (a terminating namespace, a conflicting operation): the step is due
   * then, and the lost-message repair counts the row's age from it rather than from `updatedAt`.
   */
  retryAt?: string;
  /** PascalCase reason (`InstallSucceeded`, `ArmThrottled`, `AwaitingCrdApproval`, ARM's error code...). */
  reason: string;
  message?: string;
  monitor: MonitorState;
  /** Azure Monitor onboarding detail (kept apart from the OSM `operation`, `reason` and `message`). */
  monitorProgress?: MonitorProgress;
  /**
   * The history event of the row's last write that carried one, kept on the row (an outbox): a worker
   * that died between the row write and the history append leaves it here, and whoever takes the row's
   * work over appends it again (`seq` makes that append idempotent).
   */
  lastEvent?: RowHistoryEvent;
  /**
   * Earlier events history may still lack, oldest first: they wait on the row while the hop goes on and are
   * appended with the event that settles it (shared/domain/clusterHop/rowEvents.ts).
   */
  heldEvents?: RowHistoryEvent[];
  updatedAt: string;
}

/**
 * A history event as a cluster row keeps it: the event minus what the row already says, plus its sequence;
 * `actor` only when it is not the rollout itself (a command's caller).
 */
export type RowHistoryEvent = Omit<HistoryEvent, 'clusterId' | 'actor' | 'rolloutId'> & {
  seq: number;
  actor?: string;
};

/** The Azure Monitor extension's onboarding on one cluster row: its own operation, attempts and reason. */
export interface MonitorProgress {
  operation?: OperationRecord;
  /** PUTs tried so far (retried with backoff up to a bound). */
  attempts: number;
  /** PascalCase reason of the last outcome (`MonitorInstalled`, ARM's error code, ...). */
  reason?: string;
  message?: string;
  /** Namespaces to monitor (the policy's `monitor.namespaces`), recorded when onboarding succeeded. */
  namespaces?: string[];
}

/**
 * The lock of a policy's fleet-wide rollouts (one row per policy): the rollout that holds it is the only
 * `api`/`schedule` rollout of the policy that may be active. Taken with a conditional insert before anything
 * else is written (shared/services/policyLock.ts); free again once its holder is over (policyLockHeld).
 */
export interface PolicyLock {
  policy: string;
  rolloutId: string;
  /** When it was taken (ISO 8601). */
  at: string;
}

/**
 * A stored plan (POST /api/policies/{name}/plan): its header and its cluster rows in pages, kept for an hour
 * so that a large fleet's plan is read page by page, the same plan on every instance.
 */
export interface StoredPlanHeader {
  planId: string;
  /** The plan's summary fields as the API shows them (policy, generatedAt, targetVersion, summary, sweep). */
  view: Record<string, unknown>;
  pages: number;
  clusters: number;
  expiresAt: string;
}

export interface RolloutRecord {
  rollout: Rollout;
  /** The policy as it was when the rollout was created: the rollout applies this, not later edits. */
  policy: Policy;
  /** The secret version of the snapshot's protected settings (the values are not in the snapshot). */
  protectedSettings?: ProtectedSettingsRef;
  /** How the rollout was started: `api`, `schedule`, `event`, `drift` (the policy's `correctDrift`). */
  trigger: 'api' | 'schedule' | 'event' | 'drift';
  /** Total clusters in the rollout, for cheap listing (0 while Planning). */
  clusterCount: number;
  /** Progress of the planning worker (fleet-wide rollouts created through the API); kept once planned. */
  planning?: PlanningProgress;
}

export interface PlanningProgress {
  /** Clusters planned from the sweep (known once swept). */
  total?: number;
  /** Cluster rows written so far. */
  written: number;
  /** When the planning worker last recorded progress (a stalled Planning rollout is re-sent its message). */
  updatedAt: string;
  /** When planning ended (the rollout left Planning). */
  finishedAt?: string;
  /** Why planning failed (the rollout is then Failed). */
  error?: string;
  /** Who started the rollout, for the history events the worker writes. */
  actor: string;
}

/** The fleet as last discovered (PK = subscription). */
export interface InventoryRecord {
  cluster: ClusterInfo;
  discoveredAt: string;
  /** Set when Event Grid reported the cluster deleted. */
  removedAt?: string;
  monitorInstalled: boolean;
  /**
   * Per-cluster lease: the rollout (or one-off operation) whose operation is running on the cluster's OSM
   * extension. Taken with an ETag-conditional write before any PUT/DELETE, so two rollouts never run
   * operations on one extension at once.
   */
  lease?: { holder: string; until: string };
  /**
   * Drift already reported (a `DriftDetected` history event), per policy name: the drift's fingerprint
   * (compliance.ts). Written with the row's ETag; a sweep (upsertMany) leaves it as it is.
   */
  driftSeen?: Record<string, string>;
  /** Onboarding of a new cluster by an `autoOnboard` policy: the connect-watch, or the decision taken. */
  onboarding?: OnboardingMark;
}

/** One audit event; append-only (PK = cluster id, newest first). */
export interface HistoryEvent {
  clusterId: string;
  at: string;
  /** Who or what: `api:<caller>`, `rollout:<id>`, `event:<eventId>`, `timer`. */
  actor: string;
  /** Fixed phrase: `InstallStarted`, `UpgradeSucceeded`, `SettingsChanged`, `MonitorInstalled`, ... */
  action: string;
  from?: string | null;
  to?: string | null;
  result: 'Started' | 'Succeeded' | 'Failed' | 'Skipped' | 'Recorded';
  reason?: string;
  message?: string;
  rolloutId?: string;
  /**
   * Set by writers that may append the same event again after a crash (the cluster rows): the event's
   * identity is then (clusterId, actor, at, seq), and appending it again stores nothing new.
   */
  seq?: number;
}

/** Queue names (kebab-case). */
export const QUEUES = {
  clusterSteps: 'cluster-steps',
  clusterChecks: 'cluster-checks',
  monitorSteps: 'monitor-steps',
  connectWatch: 'connect-watch',
  /** Planning of a fleet-wide rollout (message: `rolloutId`, `clusterId` `*`, `hop` 0). */
  rolloutPlanning: 'rollout-planning',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/**
 * One hop (or one check) on one cluster of one rollout; handlers re-read the row and stay idempotent.
 * On `connect-watch` the same shape carries one look at a cluster waiting to connect: `rolloutId` is the
 * watch's id (`watch-...`, on the inventory row's `onboarding`), `hop` the watch's attempt.
 */
export interface ClusterWorkMessage {
  rolloutId: string;
  clusterId: string;
  /** The hop index the sender meant; a worker that finds the row elsewhere does nothing. */
  hop: number;
  /** Set on checks: the operation being checked. */
  operationId?: string;
  /**
   * Set on the check sent right after the PUT: the `startedAt` of the intent the PUT went out under. The
   * row does not name the operation yet (no write follows the PUT); the check takes the id from its message
   * when the row's intent is this one, and records it with the first row change it makes.
   */
  intentAt?: string;
}

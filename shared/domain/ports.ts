/**
 * Ports: what services need from the outside world. Adapters in shared/azure and shared/store implement
 * them; unit tests use plain fakes. Every failure an adapter reports is one of the typed errors of
 * errors.ts (TransientError, ConcurrencyError, NotFoundError, ConflictError, TerminalError), classified once
 * at the adapter boundary.
 */
import type { ClusterInfo, ExtensionInfo } from './cluster.js';
import type {
  DataCollectionRule,
  DataCollectionRuleAssociation,
  LogAnalyticsWorkspace,
} from './containerInsights.js';
import type {
  ClusterWorkMessage,
  HistoryEvent,
  InventoryRecord,
  Page,
  PageRequest,
  PolicyLock,
  StoredPlanHeader,
  QueueName,
  RolloutClusterRecord,
  RolloutRecord,
  StoredPolicy,
  Versioned,
} from './records.js';
import type { ClusterState } from './rolloutState.js';

export interface Clock {
  now(): Date;
}

/** Resource Graph: one paged, quota-aware sweep. Values in the query are escaped by the adapter. */
export interface FleetInventory {
  /**
   * Clusters of the configured subscriptions (or of `clusterIds` only) with their extensions. `interactive`:
   * a sweep someone asked for (a plan), which yields the quota to the engine's sweeps (TransientError
   * `ResourceGraphBusy` instead of waiting).
   */
  sweep(filter?: { clusterIds?: readonly string[]; interactive?: boolean }): Promise<ClusterInfo[]>;
}

/** What osm-fleet asks ARM to run for one extension (PUT body, in domain terms). */
export interface DesiredExtension {
  extensionType: string;
  releaseTrain: string;
  /** Pinned version; `autoUpgradeMinorVersion` is then false. Absent = let the train decide (monitor). */
  version?: string;
  autoUpgradeMinorVersion: boolean;
  releaseNamespace: string;
  configurationSettings: Readonly<Record<string, string>>;
  configurationProtectedSettings: Readonly<Record<string, string>>;
  identity?: 'SystemAssigned';
}

export interface StartedOperation {
  /** ARM's operation id, or undefined when ARM finished synchronously (200 on PUT, 204/200 on DELETE). */
  operationId?: string;
  /** The extension as ARM answered the PUT (provisioningState Creating/Updating, or final). */
  extension?: ExtensionInfo;
}

export interface OperationStatus {
  status: 'InProgress' | 'Succeeded' | 'Failed' | 'Canceled';
  error?: { code: string; message: string };
}

/** ARM: connected clusters and their extensions. Starting an operation never waits for it. */
export interface ArmClient {
  getCluster(clusterId: string): Promise<ClusterInfo | undefined>;
  getExtension(clusterId: string, name: string): Promise<ExtensionInfo | undefined>;
  listExtensions(clusterId: string): Promise<ExtensionInfo[]>;
  beginPutExtension(clusterId: string, name: string, desired: DesiredExtension): Promise<StartedOperation>;
  beginDeleteExtension(
    clusterId: string,
    name: string,
    options?: { force?: boolean },
  ): Promise<StartedOperation>;
  getOperation(clusterId: string, extensionName: string, operationId: string): Promise<OperationStatus>;
}

/**
 * ARM for Container insights onboarding (containerInsights.ts): the workspace, data collection rules and
 * their associations. These writes are synchronous in ARM (200/201, no long-running operation). A GET of
 * something absent answers undefined; every other failure is a typed error.
 */
export interface MonitorArm {
  getWorkspace(workspaceId: string): Promise<LogAnalyticsWorkspace | undefined>;
  getDataCollectionRule(ruleId: string): Promise<DataCollectionRule | undefined>;
  putDataCollectionRule(rule: DataCollectionRule): Promise<DataCollectionRule>;
  /** `resourceId`: the associated resource (here a connected cluster). */
  getAssociation(resourceId: string, name: string): Promise<DataCollectionRuleAssociation | undefined>;
  putAssociation(
    resourceId: string,
    name: string,
    body: { dataCollectionRuleId: string; description: string },
  ): Promise<DataCollectionRuleAssociation>;
}

export interface PolicyStore {
  get(name: string): Promise<Versioned<StoredPolicy> | undefined>;
  list(page?: PageRequest): Promise<Page<Versioned<StoredPolicy>>>;
  /** `ifMatch`: an ETag (replace that version), `null` (create only), undefined (create or replace). */
  put(value: StoredPolicy, ifMatch?: string | null): Promise<string>;
  delete(name: string, ifMatch?: string): Promise<void>;
}

/**
 * Secrets at rest (Azure Key Vault; locally the emulator's vault): protected setting values, written as a
 * new version per change and read back by exact version. Failures are typed like every port's.
 */
export interface SecretStore {
  /** Writes a new version of secret `name` (created when absent); returns the version's id. */
  set(name: string, value: string, tags?: Readonly<Record<string, string>>): Promise<string>;
  /** The value of that version; NotFoundError when the secret or the version does not exist (or was deleted). */
  get(name: string, version: string): Promise<string>;
  /** Deletes the secret with all its versions (soft delete where the vault keeps them); absent is no error. */
  delete(name: string): Promise<void>;
}

export interface RolloutStore {
  /** Writes the rollout and all its cluster rows (batched per partition); the rollout row last. */
  create(rollout: RolloutRecord, clusters: readonly RolloutClusterRecord[]): Promise<string>;
  get(id: string): Promise<Versioned<RolloutRecord> | undefined>;
  /** Newest first (by `createdAt`). */
  list(page?: PageRequest): Promise<Page<Versioned<RolloutRecord>>>;
  /** Rollouts not finished: Pending, Running, Paused or Halted (the timer looks at them; they block a second rollout of their policy). */
  listActive(): Promise<Versioned<RolloutRecord>[]>;
  update(value: RolloutRecord, etag: string): Promise<string>;
  getCluster(rolloutId: string, clusterId: string): Promise<Versioned<RolloutClusterRecord> | undefined>;
  /** `changedSince`: only rows the store wrote at or after that moment (its own clock); rows carry `changedAt`. */
  listClusters(
    rolloutId: string,
    filter?: { state?: ClusterState; changedSince?: Date },
    page?: PageRequest,
  ): Promise<Page<Versioned<RolloutClusterRecord>>>;
  updateCluster(value: RolloutClusterRecord, etag: string): Promise<string>;
  /**
   * Several rows of one rollout in one transaction (all or none); each with its ETag. Returns the rows' new
   * ETags in the order given, each undefined where the store's answer did not say it.
   */
  updateClusters(
    values: readonly { value: RolloutClusterRecord; etag: string }[],
  ): Promise<(string | undefined)[]>;
  /**
   * Inserts cluster rows of an existing rollout that are not there yet (the planning worker's chunks, batched
   * per 100): a row that exists is left as it is, so a redelivered chunk never undoes a worker's progress.
   * Rows of another rollout are refused before any write.
   */
  insertClusters(rolloutId: string, clusters: readonly RolloutClusterRecord[]): Promise<void>;
  /** The policy's rollout lock (policyLock.ts), if a row exists. */
  getPolicyLock(policy: string): Promise<Versioned<PolicyLock> | undefined>;
  /** Inserts the lock; ConflictError when the policy already has one (whatever its state). */
  createPolicyLock(lock: PolicyLock): Promise<string>;
  /** Replaces the lock (taking over a free one); ConcurrencyError when it changed since `etag` was read. */
  updatePolicyLock(lock: PolicyLock, etag: string): Promise<string>;
  /** Deletes the lock if it is still at `etag`; ConcurrencyError if it changed; nothing if it is gone. */
  deletePolicyLock(policy: string, etag: string): Promise<void>;
}

/** Stored plans: a header and pages of plan rows (JSON each); `page` reads one page with the header. */
export interface PlanStore {
  save(header: StoredPlanHeader, pages: readonly (readonly unknown[])[]): Promise<void>;
  page(planId: string, page: number): Promise<{ header: StoredPlanHeader; clusters: unknown[] } | undefined>;
  /** Deletes up to `limit` plans whose `expiresAt` is before `now`, every page with them; how many. */
  purgeExpired(now: Date, limit: number): Promise<number>;
}

export interface InventoryStore {
  get(clusterId: string): Promise<Versioned<InventoryRecord> | undefined>;
  /** `withDriftSeen`: only rows that carry a reported drift (`driftSeen`). */
  list(
    filter?: { osmVersion?: string; subscriptionId?: string; withDriftSeen?: boolean },
    page?: PageRequest,
  ): Promise<Page<InventoryRecord>>;
  /** Replaces the inventory rows of these clusters (batched per subscription). */
  upsertMany(records: readonly InventoryRecord[]): Promise<void>;
  update(value: InventoryRecord, etag: string): Promise<string>;
}

export interface HistoryStore {
  append(events: readonly HistoryEvent[]): Promise<void>;
  /** Newest first. */
  list(clusterId: string, page?: PageRequest): Promise<Page<HistoryEvent>>;
}

export interface WorkQueue {
  send(queue: QueueName, message: ClusterWorkMessage, options?: { delayMs?: number }): Promise<void>;
}

/** Structured logs: a fixed phrase plus fields. Never tokens or protected settings. */
export interface Logger {
  info(phrase: string, fields?: Record<string, unknown>): void;
  warn(phrase: string, fields?: Record<string, unknown>): void;
  error(phrase: string, fields?: Record<string, unknown>): void;
}

/**
 * In-memory doubles of the store ports with the real ETag semantics (no Azure SDK involved). They keep the
 * rules of shared/domain/storeRules.ts as the Table Storage adapters do, and test/contracts/ runs the same
 * contract suite against both, so a difference between a double and its adapter fails a test.
 */
import { osmExtensions } from '../../shared/domain/cluster.js';
import { ConcurrencyError, ConflictError } from '../../shared/domain/errors.js';
import type {
  HistoryStore,
  InventoryStore,
  PolicyStore,
  RolloutStore,
  WorkQueue,
} from '../../shared/domain/ports.js';
import type {
  ClusterWorkMessage,
  HistoryEvent,
  InventoryRecord,
  PolicyLock,
  QueueName,
  RolloutClusterRecord,
  RolloutRecord,
  StoredPolicy,
} from '../../shared/domain/records.js';
import {
  ACTIVE_ROLLOUT_STATES,
  checkClusterTransaction,
  checkHistoryTime,
  checkRowsBelongTo,
  inventoryOsmFilter,
} from '../../shared/domain/storeRules.js';
import { parseWorkMessage } from '../../shared/domain/workMessage.js';
import { MemoryTable, pageOf } from './memoryTable.js';

/** Keys compare case-insensitively, as the adapters' encoded keys do (encodeKey lower-cases). */
const k = (id: string) => id.toLowerCase();

export class MemoryPolicyStore implements PolicyStore {
  readonly table = new MemoryTable<StoredPolicy>();
  async get(name: string) {
    return this.table.get(k(name));
  }
  async list(page?: Parameters<PolicyStore['list']>[0]) {
    return pageOf(this.table.values(), page);
  }
  async put(value: StoredPolicy, ifMatch?: string | null) {
    return this.table.put(k(value.policy.name), value, ifMatch);
  }
  async delete(name: string, ifMatch?: string) {
    this.table.delete(k(name), ifMatch);
  }
}

export class MemoryRolloutStore implements RolloutStore {
  readonly rolloutTable = new MemoryTable<RolloutRecord>();
  readonly clusterTable = new MemoryTable<RolloutClusterRecord>();
  private key = (rolloutId: string, clusterId: string) => `${k(rolloutId)}|${k(clusterId)}`;

  /** Like the table store: cluster rows first (upserted, so a retried half-written create completes), the rollout row last (create only). */
  async create(rollout: RolloutRecord, clusters: readonly RolloutClusterRecord[]) {
    const id = rollout.rollout.id;
    checkRowsBelongTo(id, clusters);
    if (this.rolloutTable.get(k(id)))
      throw new ConflictError(`rollout ${id} already exists`, 'RolloutExists');
    for (const c of clusters) this.clusterTable.put(this.key(c.rolloutId, c.clusterId), c);
    return this.rolloutTable.put(k(id), rollout, null);
  }
  async get(id: string) {
    return this.rolloutTable.get(k(id));
  }
  async list(page?: Parameters<RolloutStore['list']>[0]) {
    // Newest first, as the table store lists them (createdAt descending, then id).
    const newest = [...this.rolloutTable.values()].sort(
      (a, b) =>
        b.value.rollout.createdAt.localeCompare(a.value.rollout.createdAt) ||
        a.value.rollout.id.localeCompare(b.value.rollout.id),
    );
    return pageOf(newest, page);
  }
  async listActive() {
    return this.rolloutTable.values((r) => ACTIVE_ROLLOUT_STATES.includes(r.rollout.state));
  }
  async update(value: RolloutRecord, etag: string) {
    return this.rolloutTable.put(k(value.rollout.id), value, etag);
  }
  async getCluster(rolloutId: string, clusterId: string) {
    return this.clusterTable.get(this.key(rolloutId, clusterId));
  }
  async listClusters(
    rolloutId: string,
    filter?: Parameters<RolloutStore['listClusters']>[1],
    page?: Parameters<RolloutStore['listClusters']>[2],
  ) {
    const since = filter?.changedSince?.toISOString() ?? '';
    const rows = this.clusterTable
      .values((c) => k(c.rolloutId) === k(rolloutId) && (!filter?.state || c.state === filter.state))
      .filter((r) => (r.changedAt ?? '') >= since);
    return pageOf(rows, page);
  }
  async updateCluster(value: RolloutClusterRecord, etag: string) {
    return this.clusterTable.put(this.key(value.rolloutId, value.clusterId), value, etag);
  }
  async updateClusters(
    values: readonly { value: RolloutClusterRecord; etag: string }[],
  ): Promise<(string | undefined)[]> {
    checkClusterTransaction(values.map((v) => v.value));
    for (const { value, etag } of values) {
      if (this.clusterTable.get(this.key(value.rolloutId, value.clusterId))?.etag !== etag)
        throw new ConcurrencyError(`${value.clusterId} changed; transaction refused`);
    }
    const etags: string[] = [];
    for (const { value, etag } of values) etags.push(await this.updateCluster(value, etag));
    return etags;
  }
  async insertClusters(rolloutId: string, clusters: readonly RolloutClusterRecord[]) {
    checkRowsBelongTo(rolloutId, clusters);
    for (const c of clusters) {
      const key = this.key(c.rolloutId, c.clusterId);
      if (!this.clusterTable.get(key)) this.clusterTable.put(key, c, null);
    }
  }
  readonly lockTable = new MemoryTable<PolicyLock>();
  async getPolicyLock(policy: string) {
    return this.lockTable.get(k(policy));
  }
  async createPolicyLock(lock: PolicyLock) {
    return this.lockTable.put(k(lock.policy), lock, null);
  }
  async updatePolicyLock(lock: PolicyLock, etag: string) {
    return this.lockTable.put(k(lock.policy), lock, etag);
  }
  async deletePolicyLock(policy: string, etag: string) {
    if (this.lockTable.get(k(policy))) this.lockTable.delete(k(policy), etag);
  }
}

export class MemoryInventoryStore implements InventoryStore {
  readonly table = new MemoryTable<InventoryRecord>();
  async get(clusterId: string) {
    return this.table.get(clusterId.toLowerCase());
  }
  async list(filter?: Parameters<InventoryStore['list']>[0], page?: Parameters<InventoryStore['list']>[1]) {
    const rows = this.table
      .values(
        (r) =>
          (!filter?.withDriftSeen || Object.keys(r.driftSeen ?? {}).length > 0) &&
          (!filter?.subscriptionId ||
            r.cluster.subscriptionId.toLowerCase() === filter.subscriptionId.toLowerCase()) &&
          (filter?.osmVersion === undefined ||
            (osmExtensions(r.cluster)[0]?.version ?? '') === inventoryOsmFilter(filter.osmVersion)),
      )
      .map((r) => r.value);
    return pageOf(rows, page);
  }
  /** Merges discovery fields; keeps a lease, `removedAt` and `onboarding` the row already has, as the real store does. */
  async upsertMany(records: readonly InventoryRecord[]) {
    for (const r of records) {
      const key = r.cluster.id.toLowerCase();
      const before = this.table.get(key)?.value;
      const next = { ...r };
      if (before?.lease && !r.lease) next.lease = before.lease;
      if (before?.removedAt && !r.removedAt) next.removedAt = before.removedAt;
      if (before?.driftSeen && !r.driftSeen) next.driftSeen = before.driftSeen;
      if (before?.onboarding && !r.onboarding) next.onboarding = before.onboarding;
      this.table.put(key, next);
    }
  }
  async update(value: InventoryRecord, etag: string) {
    return this.table.put(value.cluster.id.toLowerCase(), value, etag);
  }
}

export class MemoryHistoryStore implements HistoryStore {
  /** In the order appended; an event appended again (same cluster, actor, instant and `seq`) replaced in place. */
  readonly events: HistoryEvent[] = [];
  /** Like the table store: every time checked first; an event with `seq` already stored is replaced (upsert). */
  async append(events: readonly HistoryEvent[]) {
    for (const e of events) checkHistoryTime(e.at);
    const same = (a: HistoryEvent, b: HistoryEvent) =>
      a.seq !== undefined &&
      a.seq === b.seq &&
      a.at === b.at &&
      a.actor === b.actor &&
      k(a.clusterId) === k(b.clusterId);
    for (const e of events) {
      const at = this.events.findIndex((x) => same(x, e));
      if (at >= 0) this.events[at] = structuredClone(e);
      else this.events.push(structuredClone(e));
    }
  }
  /** Newest first by `at`; events of the same instant, the later appended first (as the table's row keys sort). */
  async list(clusterId: string, page?: Parameters<HistoryStore['list']>[1]) {
    const mine = this.events
      .map((e, i) => ({ e, i, ms: Date.parse(e.at) }))
      .filter(({ e }) => k(e.clusterId) === k(clusterId))
      .sort((a, b) => b.ms - a.ms || b.i - a.i)
      .map(({ e }) => structuredClone(e));
    return pageOf(mine, page);
  }
}

export interface SentMessage {
  queue: QueueName;
  message: ClusterWorkMessage;
  delayMs: number;
}

export class MemoryWorkQueue implements WorkQueue {
  readonly sent: SentMessage[] = [];
  /** Like the queue adapter: a malformed message is refused (ValidationError) before it is queued. */
  async send(queue: QueueName, message: ClusterWorkMessage, options?: { delayMs?: number }) {
    this.sent.push({ queue, message: parseWorkMessage(message), delayMs: options?.delayMs ?? 0 });
  }
  /** Removes and returns every message sent so far (to feed them to handlers in a test). */
  drain(queue?: QueueName): SentMessage[] {
    const taken = this.sent.filter((m) => !queue || m.queue === queue);
    const kept = this.sent.filter((m) => queue && m.queue !== queue);
    this.sent.splice(0, this.sent.length, ...kept);
    return taken;
  }
}

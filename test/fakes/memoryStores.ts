/** In-memory fakes of the store ports with the real ETag semantics (no Azure SDK involved). */
import { ConcurrencyError } from '../../shared/domain/errors.js';
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
  QueueName,
  RolloutClusterRecord,
  RolloutRecord,
  StoredPolicy,
} from '../../shared/domain/records.js';
import { MemoryTable, pageOf } from './memoryTable.js';

export class MemoryPolicyStore implements PolicyStore {
  readonly table = new MemoryTable<StoredPolicy>();
  async get(name: string) {
    return this.table.get(name);
  }
  async list(page?: Parameters<PolicyStore['list']>[0]) {
    return pageOf(this.table.values(), page);
  }
  async put(value: StoredPolicy, ifMatch?: string | null) {
    return this.table.put(value.policy.name, value, ifMatch);
  }
  async delete(name: string, ifMatch?: string) {
    this.table.delete(name, ifMatch);
  }
}

const ACTIVE = new Set(['Pending', 'Running', 'Paused', 'Halted']);

export class MemoryRolloutStore implements RolloutStore {
  readonly rolloutTable = new MemoryTable<RolloutRecord>();
  readonly clusterTable = new MemoryTable<RolloutClusterRecord>();
  private key = (rolloutId: string, clusterId: string) => `${rolloutId}|${clusterId.toLowerCase()}`;

  async create(rollout: RolloutRecord, clusters: readonly RolloutClusterRecord[]) {
    for (const c of clusters) this.clusterTable.put(this.key(c.rolloutId, c.clusterId), c, null);
    return this.rolloutTable.put(rollout.rollout.id, rollout, null);
  }
  async get(id: string) {
    return this.rolloutTable.get(id);
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
    return this.rolloutTable.values((r) => ACTIVE.has(r.rollout.state));
  }
  async update(value: RolloutRecord, etag: string) {
    return this.rolloutTable.put(value.rollout.id, value, etag);
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
      .values((c) => c.rolloutId === rolloutId && (!filter?.state || c.state === filter.state))
      .filter((r) => (r.changedAt ?? '') >= since);
    return pageOf(rows, page);
  }
  async updateCluster(value: RolloutClusterRecord, etag: string) {
    return this.clusterTable.put(this.key(value.rolloutId, value.clusterId), value, etag);
  }
  async updateClusters(values: readonly { value: RolloutClusterRecord; etag: string }[]) {
    for (const { value, etag } of values) {
      if (this.clusterTable.get(this.key(value.rolloutId, value.clusterId))?.etag !== etag)
        throw new ConcurrencyError(`${value.clusterId} changed; transaction refused`);
    }
    for (const { value, etag } of values) await this.updateCluster(value, etag);
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
          (!filter?.osmVersion ||
            r.cluster.extensions.some(
              (e) =>
                e.extensionType.toLowerCase() === 'microsoft.openservicemesh' &&
                e.version === filter.osmVersion,
            )),
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
  readonly events: HistoryEvent[] = [];
  /** Like the table store: an event with `seq` already stored (same cluster, actor, instant, seq) is not added again. */
  async append(events: readonly HistoryEvent[]) {
    const same = (a: HistoryEvent, b: HistoryEvent) =>
      a.seq !== undefined &&
      a.seq === b.seq &&
      a.at === b.at &&
      a.actor === b.actor &&
      a.clusterId.toLowerCase() === b.clusterId.toLowerCase();
    for (const e of events) if (!this.events.some((x) => same(x, e))) this.events.push(structuredClone(e));
  }
  async list(clusterId: string, page?: Parameters<HistoryStore['list']>[1]) {
    const mine = this.events.filter((e) => e.clusterId.toLowerCase() === clusterId.toLowerCase()).reverse();
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
  async send(queue: QueueName, message: ClusterWorkMessage, options?: { delayMs?: number }) {
    this.sent.push({ queue, message: structuredClone(message), delayMs: options?.delayMs ?? 0 });
  }
  /** Removes and returns every message sent so far (to feed them to handlers in a test). */
  drain(queue?: QueueName): SentMessage[] {
    const taken = this.sent.filter((m) => !queue || m.queue === queue);
    const kept = this.sent.filter((m) => queue && m.queue !== queue);
    this.sent.splice(0, this.sent.length, ...kept);
    return taken;
  }
}

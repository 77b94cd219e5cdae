/**
 * The stores a contract suite runs against: the in-memory doubles of test/fakes and the Table/Queue adapters
 * on the run's Azurite. Both are built through the same shape so that each contract is written once.
 */
import { TableClient } from '@azure/data-tables';
import type {
  HistoryStore,
  InventoryStore,
  PolicyStore,
  RolloutStore,
  WorkQueue,
} from '../../shared/domain/ports.js';
import type { ClusterWorkMessage, QueueName, RolloutClusterRecord } from '../../shared/domain/records.js';
import { clusterEntity } from '../../shared/store/rolloutEntities.js';
import {
  MemoryHistoryStore,
  MemoryInventoryStore,
  MemoryPolicyStore,
  MemoryRolloutStore,
  MemoryWorkQueue,
} from '../fakes/memoryStores.js';
import { newStore } from '../support/storeFixture.js';

export interface StoresUnderTest {
  policies: PolicyStore;
  rollouts: RolloutStore;
  inventory: InventoryStore;
  history: HistoryStore;
  queue: WorkQueue;
  /** Takes every visible message off one queue, in the order sent. */
  receive(queue: QueueName): Promise<ClusterWorkMessage[]>;
  /** A `create` that stops after the cluster rows (the rollout row is never written), as a crash would. */
  halfCreate(rows: readonly RolloutClusterRecord[]): Promise<void>;
}

export type MakeStores = () => Promise<StoresUnderTest>;

export const memoryStores: MakeStores = async () => {
  const rollouts = new MemoryRolloutStore();
  const queue = new MemoryWorkQueue();
  return {
    policies: new MemoryPolicyStore(),
    rollouts,
    inventory: new MemoryInventoryStore(),
    history: new MemoryHistoryStore(),
    queue,
    receive: async (name) => queue.drain(name).map((m) => m.message),
    halfCreate: async (rows) => {
      for (const r of rows) rollouts.clusterTable.put(`${r.rolloutId}|${r.clusterId}`.toLowerCase(), r);
    },
  };
};

export const tableStores: MakeStores = async () => {
  const store = await newStore();
  const client = (name: string) =>
    TableClient.fromConnectionString(store.connectionString, name, { allowInsecureConnection: true });
  return {
    ...store,
    async receive(name) {
      const out: ClusterWorkMessage[] = [];
      for (;;) {
        const got = await store.queueConsumer.receive(name, { max: 32 });
        if (!got.length) return out;
        for (const m of got) {
          if (m.message) out.push(m.message);
          await store.queueConsumer.delete(m);
        }
      }
    },
    async halfCreate(rows) {
      const rowsTable = client(store.tableNames.rolloutClusters);
      for (const r of rows) await rowsTable.upsertEntity(clusterEntity(r), 'Replace');
    },
  };
};

/**
 * Builds the Table and Queue Storage adapters once per process. Either a connection string (Azurite locally:
 * http endpoints are allowed) or the service URIs plus a token credential (managed identity in Azure).
 * Prefixes keep tests, and several apps sharing one account, apart. Call `ensureCreated()` once at start-up.
 */
import type { TokenCredential } from '@azure/core-auth';
import { TableClient } from '@azure/data-tables';
import { QueueServiceClient } from '@azure/storage-queue';
import type {
  HistoryStore,
  InventoryStore,
  PlanStore,
  PolicyStore,
  RolloutStore,
  WorkQueue,
} from '../domain/ports.js';
import { storageCall } from './classifyStorageError.js';
import { allQueueNames } from './queueNames.js';
import { createStorageQueueConsumer, type StorageQueueConsumer } from './storageQueueConsumer.js';
import { StorageWorkQueue } from './storageWorkQueue.js';
import { TableHistoryStore } from './tableHistoryStore.js';
import { TableInventoryStore } from './tableInventoryStore.js';
import { tableNames, type TableKey, type TableNames } from './tableNames.js';
import { TablePolicyStore } from './tablePolicyStore.js';
import { TablePlanStore } from './tablePlanStore.js';
import { TableRolloutStore } from './tableRolloutStore.js';

export type StoreConnection =
  | { connectionString: string }
  | { serviceUris: { table: string; queue: string }; credential: TokenCredential };

export type CreateStoreAdaptersOptions = StoreConnection & {
  /** Letters and digits, starting with a letter: `t1` gives tables `t1policies`, ... */
  tablePrefix?: string;
  /** Lower-case letters, digits and dashes: `t1-` gives queues `t1-cluster-steps`, ... */
  queuePrefix?: string;
};

export interface StoreAdapters {
  policies: PolicyStore;
  rollouts: RolloutStore;
  inventory: InventoryStore;
  history: HistoryStore;
  plans: PlanStore;
  queue: WorkQueue;
  /** Receive / delete / release / poison, for the local Functions stand-in (the host does it in Azure). */
  queueConsumer: StorageQueueConsumer;
  /** The names as they exist in the account. */
  tableNames: TableNames;
  queueNames: string[];
  /** Creates every table and queue (and poison queue) that is missing; idempotent. */
  ensureCreated(): Promise<void>;
  /**
   * Brings rows written by earlier versions up to the current layout; idempotent, run after ensureCreated.
   * Today: the newest-first index of rollouts (tableRolloutStore.backfillNewestIndex).
   */
  migrate(): Promise<{ rolloutsIndexed: number }>;
}

export function createStoreAdapters(options: CreateStoreAdaptersOptions): StoreAdapters {
  const names = tableNames(options.tablePrefix);
  const queueNames = allQueueNames(options.queuePrefix);
  const table = tableClientFactory(options);
  const clients = Object.fromEntries(
    (Object.keys(names) as TableKey[]).map((k) => [k, table(names[k])]),
  ) as Record<TableKey, TableClient>;
  const queueService =
    'connectionString' in options
      ? QueueServiceClient.fromConnectionString(options.connectionString)
      : new QueueServiceClient(options.serviceUris.queue, options.credential);
  const queue = new StorageWorkQueue(queueService, options.queuePrefix);
  const rollouts = new TableRolloutStore(clients.rollouts, clients.rolloutClusters);
  return {
    policies: new TablePolicyStore(clients.policies),
    rollouts,
    inventory: new TableInventoryStore(clients.clusters),
    history: new TableHistoryStore(clients.history),
    plans: new TablePlanStore(clients.plans),
    queue,
    queueConsumer: createStorageQueueConsumer(queue),
    tableNames: names,
    queueNames,
    async ensureCreated() {
      await Promise.all([
        ...Object.values(clients).map((c) =>
          storageCall(`create table ${c.tableName}`, () => c.createTable()),
        ),
        ...queueNames.map((n) => storageCall(`create queue ${n}`, () => queue.client(n).createIfNotExists())),
      ]);
    },
    async migrate() {
      return { rolloutsIndexed: await rollouts.backfillNewestIndex() };
    },
  };
}

function tableClientFactory(options: StoreConnection): (name: string) => TableClient {
  if ('connectionString' in options) {
    const cs = options.connectionString;
    const insecure = /UseDevelopmentStorage=true|DefaultEndpointsProtocol=http;|Endpoint=http:/i.test(cs);
    return (name) => TableClient.fromConnectionString(cs, name, { allowInsecureConnection: insecure });
  }
  return (name) => new TableClient(options.serviceUris.table, name, options.credential);
}

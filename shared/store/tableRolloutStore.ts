/**
 * RolloutStore on Table Storage (layout in rolloutEntities.ts). `create` writes the cluster rows first, in
 * transactions of at most 100 rows, and the rollout row last: until then the rollout is not listed, so a
 * half-written rollout is never driven. A retried create of a half-written rollout overwrites its rows.
 */
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { ConflictError, NotFoundError } from '../domain/errors.js';
import type { RolloutStore } from '../domain/ports.js';
import type {
  Page,
  PageRequest,
  PolicyLock,
  RolloutClusterRecord,
  RolloutRecord,
  Versioned,
} from '../domain/records.js';
import type { ClusterState } from '../domain/rolloutState.js';
import { storageCall } from './classifyStorageError.js';
import { encodeKey } from './encodeKey.js';
import { etagOf, readEntity } from './readEntity.js';
import { readAll, readPage } from './readPage.js';
import { ACTIVE_ROLLOUT_STATES, checkClusterTransaction, checkRowsBelongTo } from '../domain/storeRules.js';
import {
  clusterEntity,
  fromClusterEntity,
  fromPolicyLockEntity,
  fromRolloutEntity,
  NEWEST_PK,
  newestIndexEntity,
  POLICY_LOCK_PK,
  policyLockEntity,
  ROLLOUT_PK,
  rolloutEntity,
} from './rolloutEntities.js';
import { chunkActions, submitBatches } from './submitBatches.js';

export class TableRolloutStore implements RolloutStore {
  constructor(
    private readonly rollouts: TableClient,
    private readonly clusters: TableClient,
  ) {}

  async create(rollout: RolloutRecord, clusters: readonly RolloutClusterRecord[]): Promise<string> {
    const id = rollout.rollout.id;
    checkRowsBelongTo(id, clusters);
    if (await readEntity(this.rollouts, ROLLOUT_PK, encodeKey(id)))
      throw new ConflictError(`rollout ${id} already exists`, 'RolloutExists');
    const rows = dedupe(clusters).map((c): TransactionAction => ['upsert', clusterEntity(c), 'Replace']);
    await submitBatches(this.clusters, rows, `create cluster rows of rollout ${id}`);
    await this.index(rollout);
    const what = `create rollout ${id}`;
    return etagOf(await storageCall(what, () => this.rollouts.createEntity(rolloutEntity(rollout))), what);
  }

  async get(id: string): Promise<Versioned<RolloutRecord> | undefined> {
    const entity = await readEntity(this.rollouts, ROLLOUT_PK, encodeKey(id));
    return entity && fromRolloutEntity(entity);
  }

  /**
   * Newest first, through the index partition: a page of index rows, then each rollout read by its key.
   * An index row whose rollout row is missing (a create that stopped half-way) is left out.
   */
  async list(page?: PageRequest): Promise<Page<Versioned<RolloutRecord>>> {
    const ids = await readPage(this.rollouts, odata`PartitionKey eq ${NEWEST_PK}`, page, (e) =>
      String(e.rolloutId ?? ''),
    );
    const found = await Promise.all(ids.items.map((id) => this.get(id)));
    const items = found.filter((r): r is Versioned<RolloutRecord> => r !== undefined);
    return ids.continuationToken ? { items, continuationToken: ids.continuationToken } : { items };
  }

  /**
   * Writes the newest-first index row of every rollout that lacks one (rollouts created before the index
   * existed). Idempotent; returns how many rollouts it indexed. See docs/operations.md, "Migrations".
   */
  async backfillNewestIndex(): Promise<number> {
    const all = await readAll(this.rollouts, odata`PartitionKey eq ${ROLLOUT_PK}`, fromRolloutEntity);
    const actions = all.map((r): TransactionAction => ['upsert', newestIndexEntity(r.value), 'Replace']);
    await submitBatches(this.rollouts, actions, `index ${actions.length} rollouts newest first`);
    return actions.length;
  }

  private async index(rollout: RolloutRecord): Promise<void> {
    const what = `index rollout ${rollout.rollout.id}`;
    await storageCall(what, () => this.rollouts.upsertEntity(newestIndexEntity(rollout), 'Replace'));
  }

  listActive(): Promise<Versioned<RolloutRecord>[]> {
    const states = ACTIVE_ROLLOUT_STATES.map((state) => odata`state eq ${state}`).join(' or ');
    const filter = `${odata`PartitionKey eq ${ROLLOUT_PK}`} and (${states})`;
    return readAll(this.rollouts, filter, fromRolloutEntity);
  }

  async update(value: RolloutRecord, etag: string): Promise<string> {
    const what = `update rollout ${value.rollout.id}`;
    return etagOf(
      await storageCall(what, () => this.rollouts.updateEntity(rolloutEntity(value), 'Replace', { etag })),
      what,
    );
  }

  async getCluster(
    rolloutId: string,
    clusterId: string,
  ): Promise<Versioned<RolloutClusterRecord> | undefined> {
    const entity = await readEntity(this.clusters, encodeKey(rolloutId), encodeKey(clusterId));
    return entity && fromClusterEntity(entity);
  }

  listClusters(
    rolloutId: string,
    filter?: { state?: ClusterState; changedSince?: Date },
    page?: PageRequest,
  ): Promise<Page<Versioned<RolloutClusterRecord>>> {
    const clauses = [odata`PartitionKey eq ${encodeKey(rolloutId)}`];
    if (filter?.state !== undefined) clauses.push(odata`state eq ${filter.state}`);
    if (filter?.changedSince !== undefined) clauses.push(odata`Timestamp ge ${filter.changedSince}`);
    return readPage(this.clusters, clauses.join(' and '), page, fromClusterEntity);
  }

  async updateCluster(value: RolloutClusterRecord, etag: string): Promise<string> {
    const what = `update cluster ${value.clusterId} of rollout ${value.rolloutId}`;
    return etagOf(
      await storageCall(what, () => this.clusters.updateEntity(clusterEntity(value), 'Replace', { etag })),
      what,
    );
  }

  /**
   * The new ETags come from the transaction's sub-responses, taken by position (the service processes a
   * change set's operations in their order, "Performing entity group transactions", learn.microsoft.com;
   * the SDK gives an update's sub-response no RowKey). None is trusted when their count differs. A wrong
   * or missing one costs its caller a failed conditional write and a fresh read, never a wrong write.
   */
  async updateClusters(
    values: readonly { value: RolloutClusterRecord; etag: string }[],
  ): Promise<(string | undefined)[]> {
    const first = values[0];
    if (!first) return [];
    checkClusterTransaction(values.map((v) => v.value));
    const actions = values.map((v): TransactionAction => [
      'update',
      clusterEntity(v.value),
      'Replace',
      { etag: v.etag },
    ]);
    const answer = await storageCall(
      `update ${values.length} clusters of rollout ${first.value.rolloutId}`,
      () => this.clusters.submitTransaction(actions),
    );
    const subs = answer.subResponses;
    return values.map((_, i) => (subs.length === values.length ? subs[i]?.etag : undefined));
  }

  /**
   * Insert-if-absent, a transaction of `create`s per 100 rows: one existing row fails the whole transaction
   * (409), and then that chunk's rows are created one by one, existing ones left as they are.
   */
  async insertClusters(rolloutId: string, clusters: readonly RolloutClusterRecord[]): Promise<void> {
    checkRowsBelongTo(rolloutId, clusters);
    const rows = dedupe(clusters).map((c): TransactionAction => ['create', clusterEntity(c)]);
    const what = `insert cluster rows of rollout ${rolloutId}`;
    for (const chunk of chunkActions(rows)) {
      try {
        await storageCall(what, () => this.clusters.submitTransaction(chunk));
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        for (const [, entity] of chunk) {
          try {
            await storageCall(what, () => this.clusters.createEntity(entity));
          } catch (e) {
            if (!(e instanceof ConflictError)) throw e;
          }
        }
      }
    }
  }

  async getPolicyLock(policy: string): Promise<Versioned<PolicyLock> | undefined> {
    const entity = await readEntity(this.rollouts, POLICY_LOCK_PK, encodeKey(policy));
    return entity && fromPolicyLockEntity(entity);
  }

  async createPolicyLock(lock: PolicyLock): Promise<string> {
    const what = `lock policy ${lock.policy} for rollout ${lock.rolloutId}`;
    return etagOf(await storageCall(what, () => this.rollouts.createEntity(policyLockEntity(lock))), what);
  }

  async updatePolicyLock(lock: PolicyLock, etag: string): Promise<string> {
    const what = `take over the lock of policy ${lock.policy} for rollout ${lock.rolloutId}`;
    return etagOf(
      await storageCall(what, () => this.rollouts.updateEntity(policyLockEntity(lock), 'Replace', { etag })),
      what,
    );
  }

  async deletePolicyLock(policy: string, etag: string): Promise<void> {
    try {
      await storageCall(`release the lock of policy ${policy}`, () =>
        this.rollouts.deleteEntity(POLICY_LOCK_PK, encodeKey(policy), { etag }),
      );
    } catch (err) {
      if (!(err instanceof NotFoundError)) throw err;
    }
  }
}

/** One row per cluster (the last one wins): a transaction may name each entity once. */
function dedupe(clusters: readonly RolloutClusterRecord[]): RolloutClusterRecord[] {
  return [...new Map(clusters.map((c) => [encodeKey(c.clusterId), c])).values()];
}

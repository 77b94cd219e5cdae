/**
 * InventoryStore on Table Storage. Table `clusters`: PK the subscription id (lower case), RK the encoded
 * cluster id. Discovery owns `name`, `resourceGroup`, `location`, `distribution`, `connectivity`,
 * `osmVersion` (the OSM extension's version, '' when none), `discoveredAt`, `monitorInstalled` and the
 * ClusterInfo as JSON in `cluster0..n` / `clusterChunks`; `upsertMany` merges only those (plus `removedAt` when
 * the record carries it), so a `lease` (`leaseHolder`, `leaseUntil`) and `removedAt` set through `update`
 * survive a sweep, and so does `driftSeen` (JSON, drift already reported per policy; '' when none).
 * `update` replaces the whole row with its ETag.
 * the record carries it), so a `lease` (`leaseHolder`, `leaseUntil`), `removedAt` and `onboarding` (JSON in
 * `onboarding`) set through `update` survive a sweep. `update` replaces the whole row with its ETag.
 */
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { osmExtensions } from '../domain/cluster.js';
import type { OnboardingMark } from '../domain/connectWatch.js';
import type { InventoryStore } from '../domain/ports.js';
import { inventoryOsmFilter } from '../domain/storeRules.js';
import type { InventoryRecord, Page, PageRequest, Versioned } from '../domain/records.js';
import { storageCall } from './classifyStorageError.js';
import { encodeKey } from './encodeKey.js';
import { jsonProperties, readJsonProperties } from './jsonProperties.js';
import { etagOf, readEntity } from './readEntity.js';
import { readPage, type StoredEntity } from './readPage.js';
import { submitBatches } from './submitBatches.js';

export class TableInventoryStore implements InventoryStore {
  constructor(private readonly table: TableClient) {}

  async get(clusterId: string): Promise<Versioned<InventoryRecord> | undefined> {
    const entity = await readEntity(this.table, partitionOf(clusterId), encodeKey(clusterId));
    return entity && { value: fromEntity(entity), etag: entity.etag };
  }

  /** `osmVersion: 'none'` (or '') lists clusters without OSM. */
  list(
    filter?: { osmVersion?: string; subscriptionId?: string; withDriftSeen?: boolean },
    page?: PageRequest,
  ): Promise<Page<InventoryRecord>> {
    const parts: string[] = [];
    if (filter?.subscriptionId !== undefined)
      parts.push(odata`PartitionKey eq ${encodeKey(filter.subscriptionId)}`);
    if (filter?.osmVersion !== undefined) {
      parts.push(odata`osmVersion eq ${inventoryOsmFilter(filter.osmVersion)}`);
    }
    if (filter?.withDriftSeen) parts.push(odata`driftSeen gt ${''}`);
    return readPage(this.table, parts.length ? parts.join(' and ') : undefined, page, fromEntity);
  }

  async upsertMany(records: readonly InventoryRecord[]): Promise<void> {
    const unique = new Map(records.map((r) => [encodeKey(r.cluster.id), r]));
    const actions = [...unique.values()].map((r): TransactionAction => [
      'upsert',
      discoveryEntity(r),
      'Merge',
    ]);
    await submitBatches(this.table, actions, `upsert ${actions.length} inventory rows`);
  }

  async update(value: InventoryRecord, etag: string): Promise<string> {
    const entity = {
      ...discoveryEntity(value),
      removedAt: value.removedAt ?? '',
      leaseHolder: value.lease?.holder ?? '',
      leaseUntil: value.lease?.until ?? '',
      driftSeen:
        value.driftSeen && Object.keys(value.driftSeen).length ? JSON.stringify(value.driftSeen) : '',
      onboarding: value.onboarding ? JSON.stringify(value.onboarding) : '',
    };
    const what = `update inventory row ${value.cluster.id}`;
    return etagOf(await storageCall(what, () => this.table.updateEntity(entity, 'Replace', { etag })), what);
  }
}

/** The subscription id taken from the ARM id (`/subscriptions/<sub>/...`), so get and write always agree. */
function partitionOf(clusterId: string): string {
  return encodeKey(clusterId.split('/')[2] ?? '');
}

function discoveryEntity(r: InventoryRecord) {
  const c = r.cluster;
  return {
    partitionKey: partitionOf(c.id),
    rowKey: encodeKey(c.id),
    name: c.name,
    resourceGroup: c.resourceGroup,
    location: c.location,
    distribution: c.distribution,
    connectivity: c.connectivity,
    osmVersion: osmExtensions(c)[0]?.version ?? '',
    discoveredAt: r.discoveredAt,
    monitorInstalled: r.monitorInstalled,
    ...(r.removedAt ? { removedAt: r.removedAt } : {}),
    ...jsonProperties('cluster', c),
  };
}

function fromEntity(entity: StoredEntity): InventoryRecord {
  const record: InventoryRecord = {
    cluster: readJsonProperties(entity, 'cluster'),
    discoveredAt: String(entity.discoveredAt ?? ''),
    monitorInstalled: entity.monitorInstalled === true,
  };
  if (typeof entity.removedAt === 'string' && entity.removedAt) record.removedAt = entity.removedAt;
  if (typeof entity.leaseHolder === 'string' && entity.leaseHolder)
    record.lease = { holder: entity.leaseHolder, until: String(entity.leaseUntil ?? '') };
  if (typeof entity.driftSeen === 'string' && entity.driftSeen)
    record.driftSeen = JSON.parse(entity.driftSeen) as Record<string, string>;
  if (typeof entity.onboarding === 'string' && entity.onboarding)
    record.onboarding = JSON.parse(entity.onboarding) as OnboardingMark;
  return record;
}

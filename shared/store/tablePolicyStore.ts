/**
 * PolicyStore on Table Storage. Table `policies`: PK `policy` (one small partition, listed in name order),
 * RK the encoded policy name; properties `name`, `updatedAt` (for operators) and the StoredPolicy as JSON in
 * `data0..n` / `dataChunks` (a policy at the validation caps needs several 32K-character properties).
 */
import type { TableClient } from '@azure/data-tables';
import type { PolicyStore } from '../domain/ports.js';
import type { Page, PageRequest, StoredPolicy, Versioned } from '../domain/records.js';
import { storageCall } from './classifyStorageError.js';
import { encodeKey } from './encodeKey.js';
import { jsonProperties, readJsonProperties } from './jsonProperties.js';
import { etagOf, readEntity } from './readEntity.js';
import { readPage, type StoredEntity } from './readPage.js';
import { odata } from '@azure/data-tables';

const PK = 'policy';

export class TablePolicyStore implements PolicyStore {
  constructor(private readonly table: TableClient) {}

  async get(name: string): Promise<Versioned<StoredPolicy> | undefined> {
    const entity = await readEntity(this.table, PK, encodeKey(name));
    return entity && fromEntity(entity);
  }

  list(page?: PageRequest): Promise<Page<Versioned<StoredPolicy>>> {
    return readPage(this.table, odata`PartitionKey eq ${PK}`, page, fromEntity);
  }

  async put(value: StoredPolicy, ifMatch?: string | null): Promise<string> {
    const entity = toEntity(value);
    const what = `write policy ${value.policy.name}`;
    const response = await storageCall(what, () =>
      ifMatch === null
        ? this.table.createEntity(entity)
        : ifMatch === undefined
          ? this.table.upsertEntity(entity, 'Replace')
          : this.table.updateEntity(entity, 'Replace', { etag: ifMatch }),
    );
    return etagOf(response, what);
  }

  async delete(name: string, ifMatch?: string): Promise<void> {
    await storageCall(`delete policy ${name}`, () =>
      this.table.deleteEntity(PK, encodeKey(name), { etag: ifMatch ?? '*' }),
    );
  }
}

function toEntity(value: StoredPolicy) {
  return {
    partitionKey: PK,
    rowKey: encodeKey(value.policy.name),
    name: value.policy.name,
    updatedAt: value.updatedAt,
    ...jsonProperties('data', value),
  };
}

function fromEntity(entity: StoredEntity): Versioned<StoredPolicy> {
  return { value: readJsonProperties<StoredPolicy>(entity, 'data'), etag: entity.etag };
}

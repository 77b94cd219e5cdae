/** Point read of one entity; a missing entity is `undefined`, a missing table stays a NotFoundError. */
import type { TableClient } from '@azure/data-tables';
import { NotFoundError } from '../domain/errors.js';
import { storageCall } from './classifyStorageError.js';
import type { StoredEntity } from './readPage.js';

export async function readEntity(
  client: TableClient,
  partitionKey: string,
  rowKey: string,
): Promise<StoredEntity | undefined> {
  try {
    return await storageCall(`read ${client.tableName}`, () =>
      client.getEntity<Record<string, unknown>>(partitionKey, rowKey),
    );
  } catch (e) {
    if (e instanceof NotFoundError && e.code !== 'TableNotFound') return undefined;
    throw e;
  }
}

/** The ETag of a write response; every write of the service returns one. */
export function etagOf(response: { etag?: string }, what: string): string {
  if (!response.etag) throw new Error(`${what}: the service returned no ETag`);
  return response.etag;
}

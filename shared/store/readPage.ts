/**
 * One page of a table query. `top` items at most (fewer only at the end); Table Storage may answer with short
 * pages (partition boundaries, 1,000-entity and 5-second limits), so short pages are topped up from the
 * continuation. Without `top` every remaining entity is read. The token is the SDK's own opaque token.
 */
import type { TableClient, TableEntityResult } from '@azure/data-tables';
import { z } from 'zod';
import { ValidationError } from '../domain/errors.js';
import type { Page, PageRequest } from '../domain/records.js';
import { storageCall } from './classifyStorageError.js';

export type StoredEntity = TableEntityResult<Record<string, unknown>>;

const MAX_SERVICE_PAGE = 1000;

export async function readPage<T>(
  client: TableClient,
  filter: string | undefined,
  page: PageRequest | undefined,
  map: (entity: StoredEntity) => T,
): Promise<Page<T>> {
  const top = page?.top;
  if (top !== undefined && (!Number.isInteger(top) || top < 1))
    throw new ValidationError(`top must be a positive integer, not ${top}`, [], 'InvalidTop');
  let token = page?.continuationToken;
  if (token !== undefined) checkToken(token);
  const items: T[] = [];
  do {
    const want = Math.min(MAX_SERVICE_PAGE, top === undefined ? MAX_SERVICE_PAGE : top - items.length);
    const pages = client
      .listEntities<Record<string, unknown>>({ queryOptions: filter ? { filter } : {} })
      .byPage({ maxPageSize: want, ...(token ? { continuationToken: token } : {}) });
    const result = await storageCall(`list ${client.tableName}`, () => pages.next());
    if (result.done) {
      token = undefined;
      break;
    }
    for (const entity of result.value) items.push(map(entity));
    token = result.value.continuationToken;
  } while (token && (top === undefined || items.length < top));
  return token ? { items, continuationToken: token } : { items };
}

/** Every entity matching `filter`. */
export async function readAll<T>(
  client: TableClient,
  filter: string | undefined,
  map: (entity: StoredEntity) => T,
): Promise<T[]> {
  return (await readPage(client, filter, undefined, map)).items;
}

/**
 * The Tables SDK's token is base64 of `{"nextPartitionKey": string, "nextRowKey"?: string}`: the service's own
 * continuation values (opaque; they come from response headers, so no control characters) of at most 1 KiB,
 * well-formed (a lone surrogate cannot be URL-encoded: the SDK threw, a 500). Anything else (a number for a
 * key, extra fields, not base64 JSON) was never issued by this API and is refused before it reaches the SDK.
 */
const tokenKey = z
  .string()
  .min(1)
  .max(1024)
  .regex(/^[^\p{Cc}\p{Cs}]+$/u);
const tokenSchema = z.strictObject({ nextPartitionKey: tokenKey, nextRowKey: tokenKey.optional() });

function checkToken(token: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (!tokenSchema.safeParse(parsed).success)
    throw new ValidationError(
      'continuationToken: is not a token this API issued',
      [{ path: 'continuationToken', message: 'is not a token this API issued' }],
      'InvalidContinuationToken',
    );
}

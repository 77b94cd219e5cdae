// Store adapters on the run's Azurite, with table and queue names no other test uses.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createStoreAdapters, type StoreAdapters } from '../../shared/store/createStoreAdapters.js';

export function uniquePrefix(): string {
  return 't' + randomBytes(5).toString('hex');
}

export async function newStore(): Promise<StoreAdapters & { connectionString: string; prefix: string }> {
  const { connectionString } = inject('azurite');
  const prefix = uniquePrefix();
  const store = createStoreAdapters({ connectionString, tablePrefix: prefix, queuePrefix: `${prefix}-` });
  await store.ensureCreated();
  return { ...store, connectionString, prefix };
}

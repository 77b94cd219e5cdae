/**
 * Writes many actions as entity group transactions: grouped by PartitionKey, at most 100 actions and about
 * 3.5 MiB per transaction (the service limits are 100 and 4 MiB). Partitions are written in parallel (a few
 * at a time), the chunks of one partition in order. Each chunk is atomic; the whole call is not.
 */
import type { TableClient, TransactionAction } from '@azure/data-tables';
import { MAX_ROWS_PER_TRANSACTION } from '../domain/storeRules.js';
import { storageCall } from './classifyStorageError.js';

const MAX_BATCH_BYTES = 3_500_000;
const PARALLEL_PARTITIONS = 8;

export async function submitBatches(
  client: TableClient,
  actions: readonly TransactionAction[],
  what: string,
): Promise<void> {
  const byPartition = new Map<string, TransactionAction[]>();
  for (const action of actions) {
    const pk = action[1].partitionKey;
    const list = byPartition.get(pk) ?? [];
    list.push(action);
    byPartition.set(pk, list);
  }
  const partitions = [...byPartition.values()];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < partitions.length; i = next++) {
      for (const chunk of chunkActions(partitions[i] ?? [])) {
        await storageCall(what, () => client.submitTransaction(chunk));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_PARTITIONS, partitions.length) }, worker));
}

/** Splits the actions of one partition into transactions within the count and size limits. */
export function chunkActions(actions: readonly TransactionAction[]): TransactionAction[][] {
  const chunks: TransactionAction[][] = [];
  let current: TransactionAction[] = [];
  let bytes = 0;
  for (const action of actions) {
    const size = 2 * JSON.stringify(action[1]).length + 1024;
    if (current.length && (current.length >= MAX_ROWS_PER_TRANSACTION || bytes + size > MAX_BATCH_BYTES)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(action);
    bytes += size;
  }
  if (current.length) chunks.push(current);
  return chunks;
}

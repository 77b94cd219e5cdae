import type { TransactionAction } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { chunkActions } from '../../shared/store/submitBatches.js';

const action = (i: number, size = 10): TransactionAction => [
  'upsert',
  { partitionKey: 'p', rowKey: String(i), data0: 'x'.repeat(size) },
];

describe('chunkActions', () => {
  it('at most 100 actions per transaction', () => {
    const chunks = chunkActions(Array.from({ length: 1050 }, (_, i) => action(i)));
    expect(chunks.map((c) => c.length)).toEqual([...Array(10).fill(100), 50]);
  });

  it('stays under 4 MiB per transaction when rows are large', () => {
    const chunks = chunkActions(Array.from({ length: 100 }, (_, i) => action(i, 60_000)));
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(2 * JSON.stringify(chunk).length).toBeLessThan(4 * 1024 * 1024);
  });
});

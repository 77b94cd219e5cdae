import { beforeAll, describe, expect, it } from 'vitest';
import { ConcurrencyError } from '../../shared/domain/errors.js';
import { newStore } from '../support/storeFixture.js';
import { inventoryRecord } from './storeRecords.js';

const SUB_C = '6a1b2c3d-0000-4000-8000-00000000000c';
let store: Awaited<ReturnType<typeof newStore>>;
beforeAll(async () => {
  store = await newStore();
});

describe('TableInventoryStore', () => {
  it('upsertMany merges discovery fields and keeps the lease and removedAt', async () => {
    const { inventory } = store;
    const first = inventoryRecord('leased', '1.1.1');
    await inventory.upsertMany([first]);
    const read = await inventory.get(first.cluster.id.toUpperCase());
    expect(read?.value).toEqual(first);
    const lease = { holder: 'rollout:r1', until: '2024-06-01T04:00:00.000Z' };
    await inventory.update({ ...first, lease }, read?.etag ?? '');

    const rediscovered = { ...inventoryRecord('leased', '1.2.6'), discoveredAt: '2024-06-01T03:05:00.000Z' };
    await inventory.upsertMany([rediscovered]);
    const after = await inventory.get(first.cluster.id);
    expect(after?.value.lease).toEqual(lease);
    expect(after?.value.discoveredAt).toBe('2024-06-01T03:05:00.000Z');
    expect(after?.value.cluster.extensions[0]?.version).toBe('1.2.6');

    await inventory.update(
      { ...(after?.value ?? first), removedAt: '2024-06-01T03:06:00.000Z' },
      after?.etag ?? '',
    );
    await inventory.upsertMany([rediscovered]); // Resource Graph lags: a deleted cluster may still show up
    expect((await inventory.get(first.cluster.id))?.value.removedAt).toBe('2024-06-01T03:06:00.000Z');
  });

  it('update with a stale ETag is a ConcurrencyError (a sweep in between counts)', async () => {
    const { inventory } = store;
    const rec = inventoryRecord('contended');
    await inventory.upsertMany([rec]);
    const read = await inventory.get(rec.cluster.id);
    await inventory.upsertMany([rec]);
    await expect(
      inventory.update({ ...rec, lease: { holder: 'x', until: 'y' } }, read?.etag ?? ''),
    ).rejects.toBeInstanceOf(ConcurrencyError);
  });

  it('writes many clusters over several subscriptions and filters by subscription and OSM version', async () => {
    const { inventory } = await newStore();
    const records = Array.from({ length: 230 }, (_, i) =>
      inventoryRecord(`c${i}`, i % 5 === 0 ? null : i % 2 ? '1.2.6' : '1.1.1', i < 130 ? undefined : SUB_C),
    );
    await inventory.upsertMany(records);
    expect((await inventory.list()).items).toHaveLength(230);
    expect((await inventory.list({ subscriptionId: SUB_C.toUpperCase() })).items).toHaveLength(100);
    const none = (await inventory.list({ osmVersion: 'none' })).items;
    expect(none).toHaveLength(46);
    expect(none.every((r) => r.cluster.extensions.length === 0)).toBe(true);
    const v126 = await inventory.list({ osmVersion: '1.2.6', subscriptionId: SUB_C });
    expect(v126.items.every((r) => r.cluster.subscriptionId === SUB_C)).toBe(true);
    expect(v126.items.length).toBe(
      records.filter((r, i) => i >= 130 && r.cluster.extensions[0]?.version === '1.2.6').length,
    );
    const page = await inventory.list({}, { top: 50 });
    expect(page.items).toHaveLength(50);
    expect(page.continuationToken).toBeDefined();
  });

  it('a filter value with quotes cannot change the query', async () => {
    const { inventory } = store;
    expect((await inventory.list({ osmVersion: "1' or osmVersion ne '" })).items).toEqual([]);
  });
});

/** The InventoryStore contract, run against the in-memory double and the Table Storage adapter. */
import { describe, expect, it } from 'vitest';
import { ConcurrencyError } from '../../shared/domain/errors.js';
import type { InventoryRecord } from '../../shared/domain/records.js';
import { inventoryRecord } from '../store/storeRecords.js';
import type { MakeStores } from './storesUnderTest.js';

const SUB_B = '6a1b2c3d-0000-4000-8000-00000000000b';
const names = (rows: InventoryRecord[]) => rows.map((r) => r.cluster.name).sort();

export function inventoryStoreContract(make: MakeStores): void {
  describe('InventoryStore contract', () => {
    it('lists by subscription and by OSM version; "none" (any case) and "" list the clusters without OSM', async () => {
      const { inventory } = await make();
      await inventory.upsertMany([
        inventoryRecord('v126', '1.2.6'),
        inventoryRecord('v111', '1.1.1'),
        inventoryRecord('bare', null),
        inventoryRecord('other-sub', '1.2.6', SUB_B),
      ]);
      expect(names((await inventory.list()).items)).toEqual(['bare', 'other-sub', 'v111', 'v126']);
      expect(names((await inventory.list({ osmVersion: '1.2.6' })).items)).toEqual(['other-sub', 'v126']);
      for (const none of ['none', 'None', ''])
        expect(names((await inventory.list({ osmVersion: none })).items), none).toEqual(['bare']);
      expect(names((await inventory.list({ subscriptionId: SUB_B.toUpperCase() })).items)).toEqual([
        'other-sub',
      ]);
      expect(names((await inventory.list({ subscriptionId: SUB_B, osmVersion: '1.1.1' })).items)).toEqual([]);
    });

    it('get is case-insensitive; upsertMany keeps the last of two records of one cluster', async () => {
      const { inventory } = await make();
      const a = inventoryRecord('twice', '1.1.1');
      await inventory.upsertMany([
        a,
        { ...inventoryRecord('twice', '1.2.6'), discoveredAt: '2024-06-01T03:01:00.000Z' },
      ]);
      const got = await inventory.get(a.cluster.id.toUpperCase());
      expect(got?.value.cluster.extensions[0]?.version).toBe('1.2.6');
      expect(got?.value.discoveredAt).toBe('2024-06-01T03:01:00.000Z');
      expect(await inventory.get(a.cluster.id + 'x')).toBeUndefined();
    });

    it('upsertMany keeps a lease and removedAt written by update; update needs the current ETag and replaces the row', async () => {
      const { inventory } = await make();
      const first = inventoryRecord('leased', '1.1.1');
      await inventory.upsertMany([first]);
      const read = (await inventory.get(first.cluster.id))!;
      expect(read.value).toEqual(first);
      const lease = { holder: 'rollout:r1', until: '2024-06-01T04:00:00.000Z' };
      const removedAt = '2024-06-01T03:06:00.000Z';
      await inventory.update({ ...first, lease, removedAt }, read.etag);
      await expect(inventory.update(first, read.etag)).rejects.toBeInstanceOf(ConcurrencyError);
      await inventory.upsertMany([
        { ...inventoryRecord('leased', '1.2.6'), discoveredAt: '2024-06-01T03:05:00.000Z' },
      ]);
      const after = (await inventory.get(first.cluster.id))!;
      expect(after.value).toEqual({
        ...inventoryRecord('leased', '1.2.6'),
        discoveredAt: '2024-06-01T03:05:00.000Z',
        lease,
        removedAt,
      });
      await inventory.update(inventoryRecord('leased', '1.2.6'), after.etag);
      expect((await inventory.get(first.cluster.id))?.value).toEqual(inventoryRecord('leased', '1.2.6'));
    });

    it('upsertMany sets removedAt when the record carries it', async () => {
      const { inventory } = await make();
      const gone = { ...inventoryRecord('gone'), removedAt: '2024-06-01T03:07:00.000Z' };
      await inventory.upsertMany([gone]);
      expect((await inventory.get(gone.cluster.id))?.value).toEqual(gone);
    });

    it('list pages without losing or repeating a cluster', async () => {
      const { inventory } = await make();
      const all = Array.from({ length: 12 }, (_, i) => inventoryRecord(`c${String(i).padStart(2, '0')}`));
      await inventory.upsertMany(all);
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = await inventory.list({}, { top: 5, ...(token ? { continuationToken: token } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(5);
        seen.push(...page.items.map((r) => r.cluster.name));
        token = page.continuationToken;
      } while (token);
      expect(seen.sort()).toEqual(names(all));
    });
  });
}

/** The PolicyStore contract, run against the in-memory double and the Table Storage adapter. */
import { describe, expect, it } from 'vitest';
import { ConcurrencyError, ConflictError, NotFoundError } from '../../shared/domain/errors.js';
import { storedPolicy } from '../store/storeRecords.js';
import type { MakeStores } from './storesUnderTest.js';

export function policyStoreContract(make: MakeStores): void {
  describe('PolicyStore contract', () => {
    it('put: create-only refuses an existing name, an ETag replaces that version only, undefined upserts', async () => {
      const { policies } = await make();
      const first = await policies.put(storedPolicy('prod'), null);
      await expect(policies.put(storedPolicy('prod'), null)).rejects.toBeInstanceOf(ConflictError);
      const second = await policies.put(
        { ...storedPolicy('prod'), updatedAt: '2024-06-02T00:00:00.000Z' },
        first,
      );
      await expect(policies.put(storedPolicy('prod'), first)).rejects.toBeInstanceOf(ConcurrencyError);
      expect(await policies.get('prod')).toEqual({
        value: { ...storedPolicy('prod'), updatedAt: '2024-06-02T00:00:00.000Z' },
        etag: second,
      });
      await expect(policies.put(storedPolicy('ghost'), second)).rejects.toBeInstanceOf(NotFoundError);
      const third = await policies.put(storedPolicy('prod'));
      expect((await policies.get('prod'))?.etag).toBe(third);
      await policies.put(storedPolicy('fresh'));
      expect((await policies.get('fresh'))?.value).toEqual(storedPolicy('fresh'));
      expect(await policies.get('nope')).toBeUndefined();
    });

    it('delete: a stale ETag is ConcurrencyError, a missing name NotFoundError, no ETag deletes', async () => {
      const { policies } = await make();
      const etag = await policies.put(storedPolicy('gone'), null);
      await policies.put(storedPolicy('gone'), etag);
      await expect(policies.delete('gone', etag)).rejects.toBeInstanceOf(ConcurrencyError);
      await policies.delete('gone');
      expect(await policies.get('gone')).toBeUndefined();
      await expect(policies.delete('gone')).rejects.toBeInstanceOf(NotFoundError);
    });

    it('list pages through every policy in name order', async () => {
      const { policies } = await make();
      const names = ['b-two', 'a-one', 'c-three', 'a-zero', 'd'];
      for (const n of names) await policies.put(storedPolicy(n), null);
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = await policies.list({ top: 2, ...(token ? { continuationToken: token } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((p) => p.value.policy.name));
        token = page.continuationToken;
      } while (token);
      expect(seen).toEqual([...names].sort());
    });
  });
}

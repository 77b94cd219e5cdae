/** The PlanStore contract, run against the in-memory double and the Table Storage adapter. */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { PlanStore } from '../../shared/domain/ports.js';
import type { StoredPlanHeader } from '../../shared/domain/records.js';

const header = (planId: string, expiresAt: string, pages = 1): StoredPlanHeader => ({
  planId,
  view: { policy: 'prod', summary: { clusters: pages } },
  pages,
  clusters: pages,
  expiresAt,
});

export function planStoreContract(make: () => Promise<PlanStore>): void {
  describe('PlanStore contract', () => {
    it('saves a plan in pages and reads each page with its header; other pages and plans are absent', async () => {
      const plans = await make();
      const saved: StoredPlanHeader = {
        planId: 'A1b2c3d4-0000-4000-8000-000000000001',
        view: { policy: 'prod', summary: { clusters: 3 } },
        pages: 2,
        clusters: 3,
        expiresAt: '2026-12-03T12:00:00.000Z',
      };
      const pages = [[{ id: 'c1' }, { id: 'c2', note: 'ü'.repeat(40_000) }], [{ id: 'c3' }]];
      await plans.save(saved, pages);
      expect(await plans.page(saved.planId.toLowerCase(), 0)).toEqual({ header: saved, clusters: pages[0] });
      expect(await plans.page(saved.planId, 1)).toEqual({ header: saved, clusters: pages[1] });
      expect(await plans.page(saved.planId, 2)).toBeUndefined();
      expect(await plans.page('a1b2c3d4-0000-4000-8000-000000000002', 0)).toBeUndefined();
    });

    it('purges expired plans with their pages, up to the limit, and keeps the others', async () => {
      const plans = await make();
      // Far-past expiries, so that plans other tests of the same table store are never touched here.
      const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
      await plans.save(header(a, '2000-01-01T00:00:00.000Z', 2), [[{ id: 'a1' }], [{ id: 'a2' }]]);
      await plans.save(header(b, '2000-01-01T00:00:01.000Z'), [[{ id: 'b1' }]]);
      await plans.save(header(c, '2000-01-01T00:10:00.000Z'), [[{ id: 'c1' }]]);
      const now = new Date('2000-01-01T00:05:00.000Z');
      expect(await plans.purgeExpired(now, 1)).toBe(1);
      expect(await plans.purgeExpired(now, 10)).toBe(1);
      expect(await plans.purgeExpired(now, 10)).toBe(0);
      for (const id of [a, b]) for (const n of [0, 1]) expect(await plans.page(id, n)).toBeUndefined();
      expect((await plans.page(c, 0))?.clusters).toEqual([{ id: 'c1' }]);
    });
  });
}

/** The PlanStore contract, run against the in-memory double and the Table Storage adapter. */
import { describe, expect, it } from 'vitest';
import type { PlanStore } from '../../shared/domain/ports.js';
import type { StoredPlanHeader } from '../../shared/domain/records.js';

export function planStoreContract(make: () => Promise<PlanStore>): void {
  describe('PlanStore contract', () => {
    it('saves a plan in pages and reads each page with its header; other pages and plans are absent', async () => {
      const plans = await make();
      const header: StoredPlanHeader = {
        planId: 'A1b2c3d4-0000-4000-8000-000000000001',
        view: { policy: 'prod', summary: { clusters: 3 } },
        pages: 2,
        clusters: 3,
        expiresAt: '2026-12-03T12:00:00.000Z',
      };
      const pages = [[{ id: 'c1' }, { id: 'c2', note: 'ü'.repeat(40_000) }], [{ id: 'c3' }]];
      await plans.save(header, pages);
      expect(await plans.page(header.planId.toLowerCase(), 0)).toEqual({ header, clusters: pages[0] });
      expect(await plans.page(header.planId, 1)).toEqual({ header, clusters: pages[1] });
      expect(await plans.page(header.planId, 2)).toBeUndefined();
      expect(await plans.page('a1b2c3d4-0000-4000-8000-000000000002', 0)).toBeUndefined();
    });
  });
}

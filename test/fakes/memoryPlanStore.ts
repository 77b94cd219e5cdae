/** The in-memory PlanStore (same contract as tablePlanStore.ts: test/contracts/planStore.contract.ts). */
import type { PlanStore } from '../../shared/domain/ports.js';
import type { StoredPlanHeader } from '../../shared/domain/records.js';

export class MemoryPlanStore implements PlanStore {
  private readonly plans = new Map<string, { header: StoredPlanHeader; pages: unknown[][] }>();
  /** Every save, for tests that count stored plans. */
  saves = 0;
  async save(header: StoredPlanHeader, pages: readonly (readonly unknown[])[]) {
    this.saves++;
    this.plans.set(header.planId.toLowerCase(), structuredClone({ header, pages: pages.map((p) => [...p]) }));
  }
  async page(planId: string, page: number) {
    const plan = this.plans.get(planId.toLowerCase());
    const clusters = plan?.pages[page];
    return plan && clusters ? structuredClone({ header: plan.header, clusters }) : undefined;
  }
  async purgeExpired(now: Date, limit: number) {
    let purged = 0;
    for (const [id, { header }] of this.plans) {
      if (purged >= limit) break;
      if (header.expiresAt >= now.toISOString()) continue;
      this.plans.delete(id);
      purged++;
    }
    return purged;
  }
}

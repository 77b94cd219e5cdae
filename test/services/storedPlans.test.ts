/** Issue 17: a plan is stored and read page by page; tokens and plan ids are checked. */
import { describe, expect, it } from 'vitest';
import { planPolicyNow } from '../../shared/services/planService.js';
import { PlanSweeps } from '../../shared/services/planSweeps.js';
import { reconcileFleet } from '../../shared/services/reconcileFleet.js';
import { PLAN_KEPT_MS, PLAN_PAGE_ROWS, planClustersPage } from '../../shared/services/storedPlans.js';
import { installFleet, newDeps, policyInput, seedPolicy } from './engineFixtures.js';

async function planned(n: number) {
  const deps = newDeps();
  installFleet(deps, 'c', n);
  await seedPolicy(deps, 'prod', policyInput());
  return { deps, plan: await planPolicyNow(deps, 'prod') };
}

describe('stored plans', () => {
  it('the answer holds the summary and the first page; the token walks every row once, in plan order', async () => {
    const n = 2 * PLAN_PAGE_ROWS + 300;
    const { deps, plan } = await planned(n);
    expect(plan.summary.clusters).toBe(n);
    // At most 1,000 rows a page, fewer when their JSON would pass ~400 KB (a table entity holds 1 MiB).
    expect(plan.clusters.length).toBeGreaterThan(PLAN_PAGE_ROWS / 2);
    expect(plan.clusters.length).toBeLessThanOrEqual(PLAN_PAGE_ROWS);
    expect(plan.continuationToken).toBe('1');
    const ids = plan.clusters.map((c) => c.id);
    let token = plan.continuationToken;
    while (token) {
      const page = await planClustersPage(deps, plan.planId!, token);
      ids.push(...page.items.map((c) => c.id));
      token = page.continuationToken;
    }
    expect(ids).toHaveLength(n);
    expect(new Set(ids).size).toBe(n);
    const first = await planClustersPage(deps, plan.planId!, undefined);
    expect(first.items.map((c) => c.id)).toEqual(plan.clusters.map((c) => c.id));
  });

  it('a small plan fits one page and has no token', async () => {
    const { plan } = await planned(3);
    expect(plan.clusters).toHaveLength(3);
    expect(plan.continuationToken).toBeUndefined();
    expect(plan.planId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each(['0', '-1', 'x', '99', '1.5'])(
    'a token that was not given out (%s) is 400 InvalidContinuationToken',
    async (t) => {
      const { deps, plan } = await planned(3);
      await expect(planClustersPage(deps, plan.planId!, t)).rejects.toMatchObject({
        code: 'InvalidContinuationToken',
      });
    },
  );

  it('an unknown, malformed or expired plan is 404 PlanNotFound', async () => {
    const { deps, plan } = await planned(3);
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-plan', '../x'])
      await expect(planClustersPage(deps, id, undefined)).rejects.toMatchObject({ code: 'PlanNotFound' });
    deps.clock.advance(PLAN_KEPT_MS);
    await expect(planClustersPage(deps, plan.planId!, undefined)).rejects.toMatchObject({
      code: 'PlanNotFound',
    });
  });

  it('plans of one policy version and sweep share one stored plan; a new version or sweep stores anew', async () => {
    const deps = newDeps();
    installFleet(deps, 'c', 5);
    await seedPolicy(deps, 'prod', policyInput());
    deps.planSweeps = new PlanSweeps(deps.fleet, deps.clock);
    const burst = await Promise.all(Array.from({ length: 10 }, () => planPolicyNow(deps, 'prod')));
    expect(new Set(burst.map((p) => p.planId)).size).toBe(1);
    expect(deps.plans.saves).toBe(1);
    deps.clock.advance(5_000);
    const later = await planPolicyNow(deps, 'prod');
    // The same stored plan, with the sweep's age as it is now.
    expect([later.planId, later.sweep?.ageSeconds]).toEqual([burst[0]!.planId, 5]);
    await seedPolicy(deps, 'prod', policyInput({ waves: [{ name: 'all', percent: 100, maxParallel: 2 }] }));
    const edited = await planPolicyNow(deps, 'prod');
    expect(edited.planId).not.toBe(burst[0]!.planId);
    deps.clock.advance(60_000);
    const swept = await planPolicyNow(deps, 'prod');
    expect(swept.sweep?.reused).toBe(false);
    expect(new Set([burst[0]!.planId, edited.planId, swept.planId]).size).toBe(3);
    expect(deps.plans.saves).toBe(3);
  });

  it('the timer purges plans past their hour and keeps younger ones', async () => {
    const { deps, plan: old } = await planned(3);
    deps.clock.advance(PLAN_KEPT_MS / 2);
    const young = await planPolicyNow(deps, 'prod');
    deps.clock.advance(PLAN_KEPT_MS / 2 + 1);
    expect((await reconcileFleet(deps)).plansPurged).toBe(1);
    expect(await deps.plans.page(old.planId!, 0)).toBeUndefined();
    expect((await planClustersPage(deps, young.planId!, undefined)).items).toHaveLength(3);
  });
});

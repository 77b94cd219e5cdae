/**
 * Issue 14 item 6: 60 plan requests (20 at a time) made 83 Resource Graph queries, spent the principal's
 * quota, and the timer's reconcile waited behind them. Plans now share a recent sweep (docs/security.md):
 * the burst costs at most a couple of queries, every plan names the sweep it was made from, and the
 * engine's own sweep afterwards finds the quota untouched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resourceGraphServiceFor } from '../../emulator/graph/resourceGraphHandler.js';
import { policyBody } from '../support/apiExpect.js';
import { SUBS, startFleetStack, type FleetStack } from '../support/fleetStack.js';

let stack: FleetStack;
const graphStats = () => resourceGraphServiceFor(stack.emulator.context.graph).stats();

beforeAll(async () => {
  stack = await startFleetStack({ reconcileEveryMs: 60 * 60_000, events: false });
  await stack.control.seed({
    explicit: Array.from({ length: 30 }, (_, i) => ({
      subscriptionId: SUBS[i % 2]!,
      resourceGroup: 'rg-plan',
      name: `plan-${i}`,
      distribution: 'aks',
    })),
  });
  expect((await stack.api('PUT', '/api/policies/burst', policyBody())).status).toBe(201);
});
afterAll(async () => stack?.stop());

describe('plan requests and the Resource Graph quota', () => {
  it('60 plans, 20 at a time: a couple of queries at most, no 429, each plan names its sweep', async () => {
    const before = { ...graphStats() };
    const started = Date.now();
    const planIds = new Set<string>();
    const sweeps = new Set<string>();
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => stack.api('POST', '/api/policies/burst/plan')),
      );
      for (const a of answers) {
        expect(a.status).toBe(200);
        expect(a.body.summary.clusters).toBe(30);
        expect(a.body.sweep.ageSeconds).toBeGreaterThanOrEqual(0);
        expect(a.body.sweep.ageSeconds).toBeLessThanOrEqual(60 + (Date.now() - started) / 1000);
        expect(Date.parse(a.body.sweep.at)).toBeLessThanOrEqual(Date.now());
        expect(typeof a.body.sweep.reused).toBe('boolean');
        planIds.add(a.body.planId);
        sweeps.add(a.body.sweep.at);
      }
    }
    const after = graphStats();
    expect(after.queries - before.queries).toBeLessThanOrEqual(2);
    expect(after.throttled - before.throttled).toBe(0);
    // One stored plan per sweep, not one per request (issue 17: what a burst writes is bounded too).
    expect(planIds.size).toBe(sweeps.size);

    // The plan is stored: its rows page by page from any instance (issue 17), tokens checked.
    const last = await stack.api('POST', '/api/policies/burst/plan');
    const page = await stack.api('GET', `/api/plans/${last.body.planId}/clusters`);
    expect(page.status).toBe(200);
    expect(page.body.items.map((c: { id: string }) => c.id)).toEqual(
      last.body.clusters.map((c: { id: string }) => c.id),
    );
    expect(page.body.continuationToken).toBeUndefined();
    const bad = await stack.api('GET', `/api/plans/${last.body.planId}/clusters?continuationToken=7`);
    expect([bad.status, bad.body.error.code]).toEqual([400, 'InvalidContinuationToken']);
    const gone = await stack.api('GET', '/api/plans/00000000-0000-4000-8000-000000000000/clusters');
    expect([gone.status, gone.body.error.code]).toEqual([404, 'PlanNotFound']);

    // The engine's sweep right after: answered, with no 429 on the way (its quota window was left alone).
    const fleet = await stack.app.deps.fleet.sweep();
    expect(fleet.filter((c) => c.resourceGroup === 'rg-plan')).toHaveLength(30);
    expect(graphStats().throttled - before.throttled).toBe(0);
  });
});

/**
 * POST /policies/{name}/plan: the dry run, over a recent sweep of the fleet (planSweeps.ts: at most a minute
 * old by default, shown in `sweep`). It changes nothing in the fleet; the plan is stored for an hour
 * (storedPlans.ts) so that its rows are read page by page.
 */
import { NotFoundError } from '../domain/errors.js';
import type { Plan, PlanSummary } from '../domain/planner.js';
import { planPolicy } from '../domain/planner.js';
import { PlanSweeps, type SweepStamp } from './planSweeps.js';
import type { ServiceDeps } from './serviceDeps.js';
import { storePlan } from './storedPlans.js';

export interface PlanClusterView {
  id: string;
  name: string;
  wave: string | null;
  action: string;
  from: string | null;
  to: string;
  path: string[];
  reason: string;
  message?: string;
  extensionName: string;
  adopted: boolean;
  settingsChanges: { key: string; from: string | null; to: string; origin: string }[];
  drift: { key: string; current: string; desired: string }[];
}

export interface PlanView {
  policy: string;
  generatedAt: string;
  targetVersion: string;
  summary: PlanSummary;
  /** The Resource Graph sweep the plan was made from. */
  sweep?: SweepStamp;
  /** The stored plan: its rows page by page at GET /api/plans/{planId}/clusters, for an hour. */
  planId?: string;
  /** The first page of rows (every row when the plan fits one page). */
  clusters: PlanClusterView[];
  /** Present when more rows follow: pass it to GET /api/plans/{planId}/clusters. */
  continuationToken?: string;
}

export async function planPolicyNow(deps: ServiceDeps, name: string): Promise<PlanView> {
  const stored = await deps.policies.get(name);
  if (!stored) throw new NotFoundError(`policy "${name}" does not exist`, 'PolicyNotFound');
  // Without an instance's PlanSweeps (unit tests), every plan sweeps afresh, still as an interactive caller.
  const sweeps = deps.planSweeps ?? new PlanSweeps(deps.fleet, deps.clock);
  return sweeps.run(async (fleet, sweep) => {
    // One stored plan per policy version and sweep: the plans of a burst share it (and its planId).
    const saved = await sweeps.once(sweep.at, `${name}\n${stored.etag}`, () => {
      const { clusters, ...head } = planView(
        planPolicy(stored.value.policy, fleet, { catalog: deps.catalog, now: deps.clock.now() }),
      );
      return storePlan(deps, head, clusters);
    });
    return { ...saved.head, sweep, ...saved.first };
  });
}

export function planView(plan: Plan): PlanView {
  return {
    policy: plan.policy,
    generatedAt: plan.generatedAt,
    targetVersion: plan.targetVersion,
    summary: plan.summary,
    clusters: plan.clusters.map((c) => ({
      id: c.id,
      name: c.name,
      wave: c.wave,
      action: c.action,
      from: c.from,
      to: c.to,
      path: c.path,
      reason: c.reason,
      ...(c.message ? { message: c.message } : {}),
      extensionName: c.extensionName,
      adopted: c.adopted,
      settingsChanges: c.settingsChanges,
      drift: c.drift,
    })),
  };
}

/**
 * POST /policies/{name}/plan: the dry run, over a recent sweep of the fleet (planSweeps.ts: at most a minute
 * old by default, shown in `sweep`). No side effects.
 */
import { NotFoundError } from '../domain/errors.js';
import type { Plan, PlanSummary } from '../domain/planner.js';
import { planPolicy } from '../domain/planner.js';
import { PlanSweeps, type SweepStamp } from './planSweeps.js';
import type { ServiceDeps } from './serviceDeps.js';

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
  clusters: PlanClusterView[];
}

export async function planPolicyNow(deps: ServiceDeps, name: string): Promise<PlanView> {
  const stored = await deps.policies.get(name);
  if (!stored) throw new NotFoundError(`policy "${name}" does not exist`, 'PolicyNotFound');
  // Without an instance's PlanSweeps (unit tests), every plan sweeps afresh, still as an interactive caller.
  const sweeps = deps.planSweeps ?? new PlanSweeps(deps.fleet, deps.clock);
  return sweeps.run((fleet, sweep) => ({
    ...planView(planPolicy(stored.value.policy, fleet, { catalog: deps.catalog, now: deps.clock.now() })),
    sweep,
  }));
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

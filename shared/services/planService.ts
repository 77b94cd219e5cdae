/**
 * POST /policies/{name}/plan: the dry run, over a recent sweep of the fleet (planSweeps.ts: at most a minute
 * old by default, shown in `sweep`). No side effects.
 */
import { randomUUID } from 'node:crypto';
import { NotFoundError, ValidationError } from '../domain/errors.js';
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
  /** The stored plan: its rows page by page at GET /api/plans/{planId}/clusters, for an hour. */
  planId?: string;
  /** The first page of rows (every row when the plan fits one page). */
  clusters: PlanClusterView[];
  /** Present when more rows follow: pass it to GET /api/plans/{planId}/clusters. */
  continuationToken?: string;
}

/** At most this many rows a page, and a page's JSON stays well under a table entity's 1 MiB. */
export const PLAN_PAGE_ROWS = 1000;
const PLAN_PAGE_CHARS = 400_000;
export const PLAN_KEPT_MS = 60 * 60_000;

export async function planPolicyNow(deps: ServiceDeps, name: string): Promise<PlanView> {
  const stored = await deps.policies.get(name);
  if (!stored) throw new NotFoundError(`policy "${name}" does not exist`, 'PolicyNotFound');
  // Without an instance's PlanSweeps (unit tests), every plan sweeps afresh, still as an interactive caller.
  const sweeps = deps.planSweeps ?? new PlanSweeps(deps.fleet, deps.clock);
  const view = await sweeps.run((fleet, sweep) => ({
    ...planView(planPolicy(stored.value.policy, fleet, { catalog: deps.catalog, now: deps.clock.now() })),
    sweep,
  }));
  // Stored, so that a large fleet's plan is read page by page (the same plan on every instance).
  const { clusters, ...head } = view;
  const pages = pageRows(clusters);
  const planId = randomUUID();
  const expiresAt = new Date(deps.clock.now().getTime() + PLAN_KEPT_MS).toISOString();
  await deps.plans.save(
    { planId, view: head, pages: pages.length, clusters: clusters.length, expiresAt },
    pages,
  );
  return {
    ...head,
    planId,
    clusters: pages[0] ?? [],
    ...(pages.length > 1 ? { continuationToken: '1' } : {}),
  };
}

/** GET /api/plans/{planId}/clusters?continuationToken=: one page of a stored plan. */
export async function planClustersPage(
  deps: ServiceDeps,
  planId: string,
  token: string | undefined,
): Promise<{ items: PlanClusterView[]; continuationToken?: string }> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(planId))
    throw new NotFoundError(`plan ${planId} not found`, 'PlanNotFound');
  if (token !== undefined && !/^[1-9][0-9]{0,4}$/.test(token))
    throw new ValidationError(
      'continuationToken is not one this API gave out',
      [],
      'InvalidContinuationToken',
    );
  const page = token === undefined ? 0 : Number(token);
  const found = await deps.plans.page(planId, page);
  if (!found && page > 0 && (await deps.plans.page(planId, 0)))
    throw new ValidationError(
      'continuationToken is not one this API gave out',
      [],
      'InvalidContinuationToken',
    );
  if (!found || Date.parse(found.header.expiresAt) <= deps.clock.now().getTime())
    throw new NotFoundError(`plan ${planId} not found (plans are kept for an hour)`, 'PlanNotFound');
  const items = found.clusters as PlanClusterView[];
  return page + 1 < found.header.pages ? { items, continuationToken: String(page + 1) } : { items };
}

function pageRows(rows: readonly PlanClusterView[]): PlanClusterView[][] {
  const pages: PlanClusterView[][] = [];
  let current: PlanClusterView[] = [];
  let chars = 0;
  for (const row of rows) {
    const size = JSON.stringify(row).length + 1;
    if (current.length > 0 && (current.length >= PLAN_PAGE_ROWS || chars + size > PLAN_PAGE_CHARS)) {
      pages.push(current);
      current = [];
      chars = 0;
    }
    current.push(row);
    chars += size;
  }
  pages.push(current);
  return pages;
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

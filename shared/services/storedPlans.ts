/**
 * Stored plans (issue 17): a plan's rows are kept for an hour in pages (PlanStore, table `plans`), so that
 * `POST /api/policies/{name}/plan` answers its summary and first page, and
 * `GET /api/plans/{planId}/clusters?continuationToken=` the rest, from any instance. Expired plans are
 * purged by the timer (`purgeExpiredPlans`).
 */
import { randomUUID } from 'node:crypto';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import type { PlanClusterView, PlanView } from './planService.js';
import type { ServiceDeps } from './serviceDeps.js';

/** At most this many rows a page, and a page's JSON stays well under a table entity's 1 MiB. */
export const PLAN_PAGE_ROWS = 1000;
const PLAN_PAGE_CHARS = 400_000;
export const PLAN_KEPT_MS = 60 * 60_000;
/** Expired plans deleted per timer run at most (each: its pages, then its header). */
export const PLAN_PURGE_LIMIT = 50;

type PlanHead = Omit<PlanView, 'clusters' | 'planId' | 'continuationToken'>;

export interface SavedPlan {
  head: PlanHead;
  /** What the POST answers besides the summary: the plan id, the first page, the next page's token. */
  first: { planId: string; clusters: PlanClusterView[]; continuationToken?: string };
}

export async function storePlan(
  deps: ServiceDeps,
  head: PlanHead,
  clusters: readonly PlanClusterView[],
): Promise<SavedPlan> {
  const pages = pageRows(clusters);
  const planId = randomUUID();
  const expiresAt = new Date(deps.clock.now().getTime() + PLAN_KEPT_MS).toISOString();
  await deps.plans.save(
    { planId, view: head, pages: pages.length, clusters: clusters.length, expiresAt },
    pages,
  );
  return {
    head,
    first: { planId, clusters: pages[0] ?? [], ...(pages.length > 1 ? { continuationToken: '1' } : {}) },
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
  if (token !== undefined && !/^[1-9][0-9]{0,4}$/.test(token)) throw badToken();
  const page = token === undefined ? 0 : Number(token);
  const found = await deps.plans.page(planId, page);
  if (!found && page > 0 && (await deps.plans.page(planId, 0))) throw badToken();
  if (!found || Date.parse(found.header.expiresAt) <= deps.clock.now().getTime())
    throw new NotFoundError(`plan ${planId} not found (plans are kept for an hour)`, 'PlanNotFound');
  const items = found.clusters as PlanClusterView[];
  return page + 1 < found.header.pages ? { items, continuationToken: String(page + 1) } : { items };
}

/** The timer's clean-up: plans past their hour, a bounded number a run. Failures are logged, not thrown. */
export async function purgeExpiredPlans(deps: ServiceDeps): Promise<number> {
  try {
    return await deps.plans.purgeExpired(deps.clock.now(), PLAN_PURGE_LIMIT);
  } catch (err) {
    deps.log.error('expired plans not purged', { error: String(err) });
    return 0;
  }
}

const badToken = () =>
  new ValidationError('continuationToken is not one this API gave out', [], 'InvalidContinuationToken');

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

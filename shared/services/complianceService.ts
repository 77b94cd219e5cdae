/**
 * GET /policies/{name}/compliance: how much of the fleet matches one policy, from the inventory the timer's
 * sweep keeps (table `clusters`), never from a sweep of its own. The answer says when that sweep ran and
 * whether it is older than `maxSweepAgeMs` (then the timer has not run: the counts may be out of date).
 * The policy's last rollout gives the `failed` class (its rows left Failed).
 */
import type {
  ClusterCompliance,
  ComplianceStatus,
  ComplianceSummary,
  FailedRow,
} from '../domain/compliance.js';
import { COMPLIANCE_STATUSES, classifyCompliance, summarizeCompliance } from '../domain/compliance.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { memoPathFor } from '../domain/planner.js';
import type { InventoryRecord, Page, PageRequest, RolloutRecord } from '../domain/records.js';
import type { ServiceDeps } from './serviceDeps.js';

/** The timer sweeps every minute; an inventory older than this is reported stale. */
export const DEFAULT_MAX_SWEEP_AGE_MS = 10 * 60_000;
/** One read of the inventory serves every compliance request of this long (the cards of several policies). */
const SNAPSHOT_MS = 5_000;
const snapshots = new WeakMap<object, { at: number; rows: Promise<InventoryRecord[]> }>();
/** How many rollouts (newest first) are searched for the policy's last one. */
const ROLLOUT_SEARCH_LIMIT = 1000;

type Deps = Pick<ServiceDeps, 'policies' | 'inventory' | 'rollouts' | 'catalog' | 'clock'>;

export interface ComplianceFilter {
  status?: string;
  subscriptionId?: string;
}

export interface ComplianceView {
  policy: string;
  targetVersion: string;
  sweep: { at: string | null; ageSeconds: number | null; stale: boolean; maxAgeSeconds: number };
  lastRollout: { id: string; state: string; createdAt: string } | null;
  summary: ComplianceSummary;
  bySubscription: Record<string, ComplianceSummary>;
  /** The targeted clusters of the class (and subscription) asked for, by name; a page of them. */
  clusters: Page<ClusterCompliance>;
}

export async function policyCompliance(
  deps: Deps,
  name: string,
  filter: ComplianceFilter = {},
  page: PageRequest = {},
  maxSweepAgeMs = DEFAULT_MAX_SWEEP_AGE_MS,
): Promise<ComplianceView> {
  const status = parseStatus(filter.status);
  const offset = parseOffset(page.continuationToken);
  const stored = await deps.policies.get(name);
  if (!stored) throw new NotFoundError(`policy "${name}" does not exist`, 'PolicyNotFound');
  const policy = stored.value.policy;

  const inventory = (await snapshot(deps)).filter((r) => !r.removedAt);
  const last = await lastRollout(deps, name);
  const failed = last ? await failedRows(deps, last.rollout.id) : new Map<string, FailedRow>();
  const pathFor = memoPathFor(policy, deps.catalog);
  const all: ClusterCompliance[] = [];
  let sweptAt: string | null = null;
  for (const r of inventory) if (sweptAt === null || r.discoveredAt > sweptAt) sweptAt = r.discoveredAt;
  // A row no sweep has seen for a while before the latest is a cluster gone from the scope (deleted with its
  // event lost, or its subscription no longer configured): it is not counted.
  const seenSince = sweptAt === null ? '' : new Date(Date.parse(sweptAt) - maxSweepAgeMs).toISOString();
  for (const r of inventory) {
    if (r.discoveredAt < seenSince) continue;
    const c = classifyCompliance(
      policy,
      r.cluster,
      deps.catalog,
      pathFor,
      failed.get(r.cluster.id.toLowerCase()),
    );
    if (c) all.push(c);
  }
  all.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  const { total, bySubscription } = summarizeCompliance(all);

  const sub = filter.subscriptionId?.toLowerCase();
  const chosen = all.filter((c) => (!status || c.status === status) && (!sub || c.subscriptionId === sub));
  const top = page.top ?? 100;
  const items = chosen.slice(offset, offset + top);
  const next = offset + top < chosen.length ? offsetToken(offset + top) : undefined;

  const ageMs = sweptAt === null ? null : deps.clock.now().getTime() - Date.parse(sweptAt);
  return {
    policy: name,
    targetVersion: policy.osm.version,
    sweep: {
      at: sweptAt,
      ageSeconds: ageMs === null ? null : Math.max(0, Math.round(ageMs / 1000)),
      stale: ageMs === null || ageMs > maxSweepAgeMs,
      maxAgeSeconds: Math.round(maxSweepAgeMs / 1000),
    },
    lastRollout: last
      ? { id: last.rollout.id, state: last.rollout.state, createdAt: last.rollout.createdAt }
      : null,
    summary: total,
    bySubscription,
    clusters: next ? { items, continuationToken: next } : { items },
  };
}

/** The inventory as read at most SNAPSHOT_MS ago by this process (shared by concurrent requests). */
function snapshot(deps: Deps): Promise<InventoryRecord[]> {
  const now = deps.clock.now().getTime();
  const held = snapshots.get(deps.inventory);
  if (held && now - held.at < SNAPSHOT_MS && now >= held.at) return held.rows;
  const rows = readInventory(deps);
  snapshots.set(deps.inventory, { at: now, rows });
  rows.catch(() => snapshots.delete(deps.inventory));
  return rows;
}

async function readInventory(deps: Deps): Promise<InventoryRecord[]> {
  const out: InventoryRecord[] = [];
  let token: string | undefined;
  do {
    const page = await deps.inventory.list(undefined, {
      top: 1000,
      ...(token ? { continuationToken: token } : {}),
    });
    out.push(...page.items);
    token = page.continuationToken;
  } while (token);
  return out;
}

/** The policy's newest rollout (rollouts are listed newest first). */
async function lastRollout(deps: Deps, policy: string): Promise<RolloutRecord | undefined> {
  let token: string | undefined;
  let seen = 0;
  do {
    const page = await deps.rollouts.list({ top: 100, ...(token ? { continuationToken: token } : {}) });
    const found = page.items.find((r) => r.value.rollout.policy === policy);
    if (found) return found.value;
    seen += page.items.length;
    token = page.continuationToken;
  } while (token && seen < ROLLOUT_SEARCH_LIMIT);
  return undefined;
}

async function failedRows(deps: Deps, rolloutId: string): Promise<Map<string, FailedRow>> {
  const out = new Map<string, FailedRow>();
  let token: string | undefined;
  do {
    const page = await deps.rollouts.listClusters(
      rolloutId,
      { state: 'Failed' },
      { top: 1000, ...(token ? { continuationToken: token } : {}) },
    );
    for (const { value } of page.items)
      out.set(value.clusterId.toLowerCase(), {
        rolloutId,
        reason: value.reason,
        ...(value.message ? { message: value.message } : {}),
      });
    token = page.continuationToken;
  } while (token);
  return out;
}

function parseStatus(status: string | undefined): ComplianceStatus | undefined {
  if (status === undefined || status === '') return undefined;
  const found = COMPLIANCE_STATUSES.find((s) => s.toLowerCase() === status.trim().toLowerCase());
  if (found) return found;
  const message = `must be one of ${COMPLIANCE_STATUSES.join(', ')}`;
  throw new ValidationError(`status: ${message}`, [{ path: 'status', message }], 'InvalidQueryParameter');
}

/** Compliance pages are cut from one computed list: the token is the offset of the next page. */
function offsetToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset }), 'utf8').toString('base64url');
}

function parseOffset(token: string | undefined): number {
  if (token === undefined) return 0;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    const offset = (parsed as { offset?: unknown } | null)?.offset;
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through
  }
  const message = 'is not a token this API issued';
  throw new ValidationError(
    `continuationToken: ${message}`,
    [{ path: 'continuationToken', message }],
    'InvalidQueryParameter',
  );
}

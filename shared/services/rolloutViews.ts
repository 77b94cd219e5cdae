/**
 * The rollout views of the API (API.md, Rollouts): a rollout with its waves and counts, the list of
 * rollouts, and a rollout's cluster rows (optionally filtered by state, case-insensitively).
 */
import { NotFoundError, ValidationError } from '../domain/errors.js';
import type { Page, PageRequest, RolloutClusterRecord, RolloutRecord } from '../domain/records.js';
import type { ClusterCounts, WaveSummary } from '../domain/rolloutCounts.js';
import { rolloutCounts, waveSummaries } from '../domain/rolloutCounts.js';
import type { ClusterState, RolloutClusterView, RolloutState } from '../domain/rolloutState.js';
import { CLUSTER_STATES } from '../domain/rolloutState.js';
import { loadRolloutClusters } from './loadRolloutClusters.js';
import type { ServiceDeps } from './serviceDeps.js';

export interface RolloutView {
  id: string;
  policy: string;
  state: RolloutState;
  trigger: RolloutRecord['trigger'];
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  clusterCount: number;
  waves: WaveSummary[];
  counts: ClusterCounts;
  haltedReason?: string;
  /** While a finished wave soaks: when the next wave starts. */
  soakUntil?: string;
  /**
   * Fleet-wide rollouts started through the API: the planning worker's progress (`written` cluster rows of
   * `total`, known once swept), kept after planning; `error` when planning failed (state Failed).
   */
  planning?: { written: number; total: number | null; finishedAt: string | null; error?: string };
}

export interface RolloutClusterRow {
  id: string;
  name: string;
  /** Wave name; null for clusters the rollout does not change (no wave). */
  wave: string | null;
  state: ClusterState;
  action: RolloutClusterRecord['plannedAction'];
  from: string | null;
  to: string;
  path: string[];
  hop: number;
  attempts: number;
  reason: string;
  message: string | null;
  updatedAt: string;
}

type Deps = Pick<ServiceDeps, 'rollouts'>;

export function rolloutView(record: RolloutRecord, rows: readonly RolloutClusterRecord[]): RolloutView {
  const r = record.rollout;
  const views = rows.map((c): RolloutClusterView => ({
    id: c.clusterId,
    wave: c.wave,
    state: c.state,
    online: true,
  }));
  const view: RolloutView = {
    id: r.id,
    policy: r.policy,
    state: r.state,
    trigger: record.trigger,
    createdAt: r.createdAt,
    startedAt: r.startedAt ?? null,
    finishedAt: r.finishedAt ?? null,
    clusterCount: record.clusterCount,
    waves: waveSummaries(r, views),
    counts: rolloutCounts(views),
  };
  if (r.haltedReason !== undefined) view.haltedReason = r.haltedReason;
  if (r.waveSoakUntil !== undefined) view.soakUntil = r.waveSoakUntil;
  const p = record.planning;
  if (p) {
    view.planning = { written: p.written, total: p.total ?? null, finishedAt: p.finishedAt ?? null };
    if (p.error !== undefined) view.planning.error = p.error;
  }
  return view;
}

async function requireRollout(deps: Deps, id: string): Promise<RolloutRecord> {
  const stored = await deps.rollouts.get(id);
  if (!stored) throw new NotFoundError(`rollout ${id} not found`, 'RolloutNotFound');
  return stored.value;
}

export async function getRolloutView(deps: Deps, id: string): Promise<RolloutView> {
  const record = await requireRollout(deps, id);
  const rows = await loadRolloutClusters(deps, id);
  return rolloutView(
    record,
    rows.map((r) => r.value),
  );
}

/** A page of rollouts, each with its counts (one read of its rows per listed rollout). */
export async function listRollouts(deps: Deps, page?: PageRequest): Promise<Page<RolloutView>> {
  const result = await deps.rollouts.list(page);
  const items = await Promise.all(
    result.items.map(async ({ value }) =>
      rolloutView(
        value,
        (await loadRolloutClusters(deps, value.rollout.id)).map((r) => r.value),
      ),
    ),
  );
  return result.continuationToken ? { items, continuationToken: result.continuationToken } : { items };
}

/** `state` as the query gives it, any case; an unknown state is a ValidationError naming `state`. */
export function parseClusterStateFilter(state: string | undefined): ClusterState | undefined {
  if (state === undefined || state === '') return undefined;
  const found = CLUSTER_STATES.find((s) => s.toLowerCase() === state.trim().toLowerCase());
  if (found) return found;
  const message = `must be one of ${CLUSTER_STATES.join(', ')}`;
  throw new ValidationError(`state: ${message}`, [{ path: 'state', message }], 'InvalidQueryParameter');
}

export function rolloutClusterRow(record: RolloutRecord, c: RolloutClusterRecord): RolloutClusterRow {
  return {
    id: c.clusterId,
    name: c.clusterName,
    wave: record.rollout.waves[c.wave]?.name ?? null,
    state: c.state,
    action: c.plannedAction,
    from: c.from,
    to: c.to,
    path: [...c.path],
    hop: c.hop,
    attempts: c.attempts,
    reason: c.reason,
    message: c.message ?? null,
    updatedAt: c.updatedAt,
  };
}

export async function listRolloutClusters(
  deps: Deps,
  id: string,
  filter: { state?: string } = {},
  page?: PageRequest,
): Promise<Page<RolloutClusterRow>> {
  const state = parseClusterStateFilter(filter.state);
  const record = await requireRollout(deps, id);
  const result = await deps.rollouts.listClusters(id, state ? { state } : undefined, page);
  const items = result.items.map((r) => rolloutClusterRow(record, r.value));
  return result.continuationToken ? { items, continuationToken: result.continuationToken } : { items };
}

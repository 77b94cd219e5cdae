/**
 * GET /clusters/{sub}/{rg}/{name}/history: the cluster's stored events, newest first, and on the first page
 * also the events still waiting on its rows of active rollouts. A hop's events wait on its row and reach
 * history together when the row settles (shared/domain/clusterHop/rowEvents.ts); until then they are shown
 * from the row, marked `pending: true`, so a cluster of a running or paused rollout never looks untouched.
 * Costs one query of the active rollouts and a point read per active rollout, on the first page only.
 */
import { clusterId, normalizeId } from '../domain/armId.js';
import { eventsMayWait, unsureEvents } from '../domain/clusterHop/rowEvents.js';
import type { HistoryEvent, Page, PageRequest } from '../domain/records.js';
import { rowHistoryEvents } from './recordLastEvent.js';
import type { ServiceDeps } from './serviceDeps.js';

export type HistoryItem = HistoryEvent & { pending?: true };

export async function clusterHistory(
  deps: Pick<ServiceDeps, 'history' | 'rollouts'>,
  subscriptionId: string,
  resourceGroup: string,
  name: string,
  page?: PageRequest,
): Promise<Page<HistoryItem>> {
  const id = normalizeId(clusterId({ subscriptionId, resourceGroup, name }));
  const stored = await deps.history.list(id, page);
  if (page?.continuationToken) return stored;
  const same = (a: HistoryEvent, b: HistoryEvent) => a.actor === b.actor && a.at === b.at && a.seq === b.seq;
  const waiting = (await waitingEvents(deps, id)).filter((e) => !stored.items.some((s) => same(s, e)));
  if (waiting.length === 0) return stored;
  const items = [...waiting, ...stored.items].sort((a, b) => b.at.localeCompare(a.at));
  return { ...stored, items };
}

/** The events waiting on the cluster's rows of active rollouts (rows the hop will write again). */
async function waitingEvents(deps: Pick<ServiceDeps, 'rollouts'>, clusterId: string): Promise<HistoryItem[]> {
  const active = await deps.rollouts.listActive();
  const rows = await Promise.all(active.map((r) => deps.rollouts.getCluster(r.value.rollout.id, clusterId)));
  return rows.flatMap((row) =>
    row && eventsMayWait(row.value.state)
      ? rowHistoryEvents(row.value, unsureEvents(row.value)).map((e) => ({ ...e, pending: true as const }))
      : [],
  );
}

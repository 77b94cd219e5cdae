/**
 * Event Grid `onClusterEvent`: a connected cluster was written or deleted. Events arrive at least once and
 * out of order, so nothing here trusts the event's content beyond "look at this cluster": ARM is read for
 * the truth. A Connected cluster is onboarded (`onboardCluster`: a cluster already worked on by an active
 * rollout is left alone; concurrent deliveries race for the cluster's lease, only the winner creates a
 * rollout). A cluster not Connected yet (the write of `az connectedk8s connect` itself) starts a bounded
 * connect-watch (`startConnectWatch`), since its connection will raise no event.
 */
import type { ClusterInfo } from '../domain/cluster.js';
import { isMonitorExtension } from '../domain/cluster.js';
import { parseClusterEvent } from '../domain/clusterEvent.js';
import { ConcurrencyError } from '../domain/errors.js';
import { onboardCluster, openRows } from './onboardCluster.js';
import type { ServiceDeps } from './serviceDeps.js';
import { writeClusterRowsWithEvent } from './writeClusterRows.js';
import { startConnectWatch } from './watchClusterConnect.js';

export interface ClusterEventOutcome {
  outcome: 'ignored' | 'removed' | 'onboarding' | 'watching' | 'noAction';
  reason: string;
  rolloutId?: string;
}

export async function handleClusterEvent(deps: ServiceDeps, event: unknown): Promise<ClusterEventOutcome> {
  const e = parseClusterEvent(event, deps.settings.subscriptions);
  if (e.kind === 'ignored') {
    const id =
      typeof event === 'object' && event && 'id' in event
        ? String((event as { id: unknown }).id).slice(0, 64)
        : undefined;
    deps.log.info('cluster event ignored', { reason: e.reason, eventId: id });
    return { outcome: 'ignored', reason: e.reason };
  }
  const cluster = await deps.arm.getCluster(e.clusterId);
  if (e.kind === 'delete') {
    if (cluster) return done(deps, { outcome: 'noAction', reason: 'ClusterStillExists' }, e.clusterId);
    await removeCluster(deps, e.clusterId, `event:${e.eventId}`);
    return done(deps, { outcome: 'removed', reason: 'ClusterDeleted' }, e.clusterId);
  }
  if (!cluster) return done(deps, { outcome: 'noAction', reason: 'ClusterNotFound' }, e.clusterId);
  const full: ClusterInfo = { ...cluster, extensions: await deps.arm.listExtensions(cluster.id) };
  await deps.inventory.upsertMany([
    {
      cluster: full,
      discoveredAt: deps.clock.now().toISOString(),
      monitorInstalled: full.extensions.some(isMonitorExtension),
    },
  ]);
  await clearRemoved(deps, full.id);
  if (full.connectivity !== 'Connected') {
    // `az connectedk8s connect` writes the resource while it is Connecting, and its later connection raises
    // no event: watch it until it connects (bounded), instead of waiting for a write that never comes.
    const watch = await startConnectWatch(deps, full, e.eventId);
    return done(
      deps,
      watch.outcome === 'watching'
        ? { outcome: 'watching', reason: watch.reason }
        : { outcome: 'noAction', reason: watch.reason },
      e.clusterId,
    );
  }
  return done(deps, await onboardCluster(deps, full, `event:${e.eventId}`), e.clusterId);
}

function done(deps: ServiceDeps, outcome: ClusterEventOutcome, clusterId: string): ClusterEventOutcome {
  deps.log.info('cluster event handled', { clusterId, ...outcome });
  return outcome;
}

/**
 * ARM has the cluster (read just now, so not a lagging sweep): one deleted before and connected again under
 * the same id is back in the books. The sweep's upsert leaves `removedAt` alone, so it is cleared here.
 */
async function clearRemoved(deps: ServiceDeps, clusterId: string): Promise<void> {
  const inv = await deps.inventory.get(clusterId);
  if (!inv?.value.removedAt) return;
  const { removedAt: _cleared, ...rest } = inv.value;
  try {
    await deps.inventory.update(rest, inv.etag);
  } catch (err) {
    if (!(err instanceof ConcurrencyError)) throw err; // the next event or the next read sees it again
  }
}

/** A deleted cluster leaves the books: inventory marked removed, its open rollout work ended as Skipped. */
async function removeCluster(deps: ServiceDeps, clusterId: string, actor: string): Promise<void> {
  const now = deps.clock.now().toISOString();
  const inv = await deps.inventory.get(clusterId);
  if (inv && !inv.value.removedAt) {
    try {
      // A cluster connected again under the same id is a new cluster: its onboarding is decided afresh.
      const { onboarding: _forgotten, ...kept } = inv.value;
      await deps.inventory.update({ ...kept, removedAt: now }, inv.etag);
    } catch (err) {
      if (!(err instanceof ConcurrencyError)) throw err;
    }
  }
  for (const row of await openRows(deps, clusterId)) {
    // One row at a time (rows of different rollouts); a row a worker moved on meanwhile is left to it.
    const [written] = await writeClusterRowsWithEvent(
      deps,
      [row],
      (r) =>
        r.state === row.value.state
          ? {
              ...r,
              state: 'Skipped',
              reason: 'ClusterDeleted',
              message: 'the connected cluster was deleted',
              updatedAt: now,
            }
          : undefined,
      () => ({ at: now, actor, action: 'ClusterRemoved', result: 'Recorded', reason: 'ClusterDeleted' }),
    );
    if (written) await deps.onSlotFreed?.(written.rolloutId);
  }
}

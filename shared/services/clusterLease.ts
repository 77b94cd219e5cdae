/**
 * The per-cluster lease on the inventory row (`InventoryRecord.lease`; its rules are pure, in
 * shared/domain/clusterHop/leaseRules.ts): whoever holds it may run operations
 * on the cluster's OSM extension, so two rollouts never race on one extension. Holder = rollout id, so a
 * redelivered or later hop of the same rollout re-takes (and extends) its own lease.
 *
 * A lease is not released when its holder's work ends (that cost an inventory read and write per cluster):
 * it is held while it has not expired AND the holder's row for the cluster is InProgress, or Pending, or
 * absent (an Event Grid onboarding takes the lease under its rollout's id before the rollout and its
 * Pending row exist, and must keep it until the row is dispatched). A row that finished or waits elsewhere
 * (Succeeded, Failed, Deferred, AwaitingApproval...) holds nothing, as when its last write released the
 * lease. Only a caller that finds the lease taken pays the read of the holder's row.
 *
 * A cluster with no inventory row yet (discovery has not swept it) gets one, built from the ARM cluster the
 * caller just read: `upsertMany` keeps a lease a concurrent writer took, and the lease itself is then taken
 * with an ETag-conditional update like any other. Treating a missing row as "free" would let two rollouts
 * both think they hold it.
 */
import type { ClusterInfo } from '../domain/cluster.js';
import { isMonitorExtension } from '../domain/cluster.js';
import { ConcurrencyError, NotFoundError } from '../domain/errors.js';
import type { ServiceDeps } from './serviceDeps.js';
import { leaseHolds, leaseRenewal } from '../domain/clusterHop/leaseRules.js';
import { normalizeId } from '../domain/armId.js';

export type LeaseResult = { taken: true; until: string } | { taken: false; holder: string; until: string };

const TRIES = 4;

export async function takeClusterLease(
  deps: ServiceDeps,
  cluster: ClusterInfo,
  holder: string,
): Promise<LeaseResult> {
  const clusterId = normalizeId(cluster.id);
  for (let i = 0; i < TRIES; i++) {
    const now = deps.clock.now();
    const row = await deps.inventory.get(clusterId);
    if (!row) {
      await deps.inventory.upsertMany([
        {
          cluster,
          discoveredAt: now.toISOString(),
          monitorInstalled: cluster.extensions.some(isMonitorExtension),
        },
      ]);
      continue;
    }
    const lease = row.value.lease;
    if (lease && lease.holder !== holder && (await leaseHeld(deps, clusterId, lease)))
      return { taken: false, holder: lease.holder, until: lease.until };
    const until = new Date(now.getTime() + deps.settings.leaseMs).toISOString();
    try {
      await deps.inventory.update({ ...row.value, lease: { holder, until } }, row.etag);
      if (lease && lease.holder !== holder && Date.parse(lease.until) > now.getTime())
        deps.log.info('Cluster lease taken over from a finished holder', {
          clusterId,
          holder,
          previous: lease.holder,
        });
      else if (lease && lease.holder !== holder)
        deps.log.warn('Expired cluster lease taken over', { clusterId, holder, previous: lease.holder });
      return { taken: true, until };
    } catch (e) {
      if (!(e instanceof ConcurrencyError || e instanceof NotFoundError)) throw e;
    }
  }
  return { taken: false, holder: 'unknown (contended)', until: deps.clock.now().toISOString() };
}

/** Whether a lease still holds the cluster: not expired, and its holder's row for it InProgress, Pending or absent. */
export async function leaseHeld(
  deps: Pick<ServiceDeps, 'clock' | 'rollouts'>,
  clusterId: string,
  lease: { holder: string; until: string },
): Promise<boolean> {
  const now = deps.clock.now();
  if (!leaseHolds(lease, undefined, now)) return false; // expired: no need to read the holder's row
  const row = await deps.rollouts.getCluster(lease.holder, normalizeId(clusterId));
  return leaseHolds(lease, row?.value, now);
}

/** Releases the lease if `holder` has it; anything else is left alone. Never fails the caller on a race. */
export async function releaseClusterLease(
  deps: ServiceDeps,
  clusterId: string,
  holder: string,
): Promise<void> {
  for (let i = 0; i < TRIES; i++) {
    const row = await deps.inventory.get(normalizeId(clusterId));
    if (!row || row.value.lease?.holder !== holder) return;
    const { lease: _released, ...rest } = row.value;
    try {
      await deps.inventory.update(rest, row.etag);
      return;
    } catch (e) {
      if (!(e instanceof ConcurrencyError || e instanceof NotFoundError)) throw e;
    }
  }
  deps.log.warn('Cluster lease not released; it expires on its own', { clusterId, holder });
}

/**
 * Extends the lease `holder` has once less than half of it is left, so a long operation (checks run until
 * the operation's deadline, which may exceed `leaseMs`) keeps its cluster. Best effort: a lost race is
 * retried by the next check.
 */
export async function renewClusterLease(deps: ServiceDeps, clusterId: string, holder: string): Promise<void> {
  const id = normalizeId(clusterId);
  const row = await deps.inventory.get(id);
  if (!row) return;
  const now = deps.clock.now();
  const lease = row.value.lease;
  const renewal = leaseRenewal(lease, holder, now, deps.settings.leaseMs);
  if (renewal === 'lost')
    deps.log.warn('Cluster lease lost during an operation', { clusterId: id, holder, by: lease?.holder });
  if (renewal !== 'extend') return;
  const until = new Date(now.getTime() + deps.settings.leaseMs).toISOString();
  try {
    await deps.inventory.update({ ...row.value, lease: { holder, until } }, row.etag);
  } catch (e) {
    if (!(e instanceof ConcurrencyError || e instanceof NotFoundError)) throw e;
  }
}

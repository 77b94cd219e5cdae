/**
 * Event Grid `onClusterEvent`: a connected cluster was written or deleted. Events arrive at least once and
 * out of order, so nothing here trusts the event's content beyond "look at this cluster": ARM is read for
 * the truth, and a cluster already being worked on by an active rollout is left alone (no second PUT).
 * Concurrent deliveries of one event race for the cluster's lease: only the winner creates a rollout.
 */
import type { ClusterInfo } from '../domain/cluster.js';
import { isMonitorExtension } from '../domain/cluster.js';
import { parseClusterEvent } from '../domain/clusterEvent.js';
import { ConcurrencyError } from '../domain/errors.js';
import { isExcluded, matchesTarget } from '../domain/matchesTarget.js';
import { planPolicy } from '../domain/planner.js';
import type { Policy } from '../domain/policy.js';
import type { RolloutClusterRecord, Versioned } from '../domain/records.js';
import { releaseClusterLease, takeClusterLease } from './clusterLease.js';
import { createRollout } from './createRollout.js';
import { newRolloutId } from './newRolloutId.js';
import type { ServiceDeps } from './serviceDeps.js';
import { normalizeId } from '../domain/armId.js';

export interface ClusterEventOutcome {
  outcome: 'ignored' | 'removed' | 'onboarding' | 'noAction';
  reason: string;
  rolloutId?: string;
}

const OPEN_STATES = new Set(['Pending', 'InProgress', 'Deferred', 'AwaitingApproval']);

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
  if (full.connectivity !== 'Connected')
    return done(deps, { outcome: 'noAction', reason: 'ClusterNotConnected' }, e.clusterId);

  const policy = await onboardingPolicy(deps, full);
  if (!policy) return done(deps, { outcome: 'noAction', reason: 'NoAutoOnboardPolicy' }, e.clusterId);
  if ((await openRows(deps, full.id)).length)
    return done(deps, { outcome: 'noAction', reason: 'AlreadyInRollout' }, e.clusterId);
  const plan = planPolicy(policy, [full], { catalog: deps.catalog, now: deps.clock.now() });
  const action = plan.clusters[0]?.action;
  if (action !== 'install' && action !== 'upgrade' && action !== 'reconfigure')
    return done(
      deps,
      { outcome: 'noAction', reason: plan.clusters[0]?.reason ?? 'NotTargeted' },
      e.clusterId,
    );
  // Duplicates of an event arrive together: the cluster's lease, taken under the new rollout's id before
  // the rollout exists, lets one delivery onboard the cluster; the others find it held and do nothing.
  const rolloutId = newRolloutId(deps.clock.now());
  const lease = await takeClusterLease(deps, full, rolloutId);
  if (!lease.taken) return done(deps, { outcome: 'noAction', reason: 'AlreadyInRollout' }, e.clusterId);
  let rollout;
  try {
    rollout = await createRollout(deps, {
      policyName: policy.name,
      trigger: 'event',
      actor: `event:${e.eventId}`,
      clusterIds: [full.id],
      clusters: [full],
      id: rolloutId,
    });
  } catch (err) {
    await releaseClusterLease(deps, full.id, rolloutId);
    throw err;
  }
  return done(
    deps,
    {
      outcome: 'onboarding',
      reason: plan.clusters[0]?.reason ?? 'NotInstalled',
      rolloutId: rollout.rollout.id,
    },
    e.clusterId,
  );
}

function done(deps: ServiceDeps, outcome: ClusterEventOutcome, clusterId: string): ClusterEventOutcome {
  deps.log.info('cluster event handled', { clusterId, ...outcome });
  return outcome;
}

/** The autoOnboard policy for a cluster: the first by name among those whose target takes it. */
async function onboardingPolicy(deps: ServiceDeps, cluster: ClusterInfo): Promise<Policy | undefined> {
  const matching: Policy[] = [];
  let token: string | undefined;
  do {
    const page = await deps.policies.list({ top: 1000, ...(token ? { continuationToken: token } : {}) });
    for (const p of page.items) {
      const policy = p.value.policy;
      if (policy.autoOnboard && matchesTarget(policy.target, cluster) && !isExcluded(policy.target, cluster))
        matching.push(policy);
    }
    token = page.continuationToken;
  } while (token);
  matching.sort((a, b) => (a.name < b.name ? -1 : 1));
  if (matching.length > 1)
    deps.log.warn('several autoOnboard policies match a cluster; applying the first by name', {
      clusterId: cluster.id,
      policies: matching.map((p) => p.name),
    });
  return matching[0];
}

/** Point reads of the cluster's row in the active rollouts issued at once: events onboarding clusters
 * one by one keep one single-cluster rollout active per cluster in flight, hundreds when many connect. */
const READS_AT_ONCE = 25;

/** Rows of active rollouts in which this cluster still has work open. */
async function openRows(deps: ServiceDeps, clusterId: string): Promise<Versioned<RolloutClusterRecord>[]> {
  const rows: Versioned<RolloutClusterRecord>[] = [];
  const active = await deps.rollouts.listActive();
  for (let i = 0; i < active.length; i += READS_AT_ONCE) {
    const found = await Promise.all(
      active
        .slice(i, i + READS_AT_ONCE)
        .map((r) => deps.rollouts.getCluster(r.value.rollout.id, normalizeId(clusterId))),
    );
    for (const row of found) if (row && OPEN_STATES.has(row.value.state)) rows.push(row);
  }
  return rows;
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
      await deps.inventory.update({ ...inv.value, removedAt: now }, inv.etag);
    } catch (err) {
      if (!(err instanceof ConcurrencyError)) throw err;
    }
  }
  for (const row of await openRows(deps, clusterId)) {
    try {
      await deps.rollouts.updateCluster(
        {
          ...row.value,
          state: 'Skipped',
          reason: 'ClusterDeleted',
          message: 'the connected cluster was deleted',
          updatedAt: now,
        },
        row.etag,
      );
    } catch (err) {
      if (!(err instanceof ConcurrencyError)) throw err;
      continue; // a worker changed the row meanwhile; its own read of ARM will find the cluster gone
    }
    await deps.history.append([
      {
        clusterId: normalizeId(clusterId),
        at: now,
        actor,
        action: 'ClusterRemoved',
        result: 'Recorded',
        reason: 'ClusterDeleted',
        rolloutId: row.value.rolloutId,
      },
    ]);
    await deps.onSlotFreed?.(row.value.rolloutId);
  }
}

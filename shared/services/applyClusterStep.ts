/**
 * Queue `cluster-steps`: one hop on one cluster of one rollout. Re-reads the row and does nothing unless it
 * is InProgress at the message's hop (messages are at-least-once, duplicated and stale). Then, in order:
 * an operation already recorded with ARM's id -> re-send its check (never a second PUT); the rollout
 * cancelled and no operation begun for this hop -> Cancelled (the hop in flight at the cancel finished, no
 * further hop starts); the CRD step not approved -> AwaitingApproval; the cluster gone -> Skipped `ClusterDeleted`; not
 * Connected -> Deferred (Offline, Connecting) or Skipped (Expired: reconnecting, which deletes extensions, is
 * the operator's job; Skipped does not count toward the halt threshold, like the plan's
 * `skip / ClusterExpired`); the per-cluster lease busy -> requeued; otherwise `startHopOperation` (intent
 * first, then at most one PUT).
 * A ConcurrencyError (someone else wrote the row) re-reads and decides again.
 */
import type { ClusterInfo } from '../domain/cluster.js';
import { ConcurrencyError } from '../domain/errors.js';
import type { ClusterWorkMessage } from '../domain/records.js';
import { QUEUES } from '../domain/records.js';
import { armReaction, classifyArmFailure } from '../domain/armFailure.js';
import { takeClusterLease } from './clusterLease.js';
import { sameVersion } from './desiredOsmExtension.js';
import type { Delivery } from './recordLastEvent.js';
import { recordLastEventIfRedelivered } from './recordLastEvent.js';
import type { ServiceDeps } from './serviceDeps.js';
import type { HopContext } from './startHopOperation.js';
import { recordStartedOperation, startHopOperation } from './startHopOperation.js';
import type { StepResult } from './stepResult.js';
import { ignored, requeued } from './stepResult.js';
import type { ClusterRow } from './writeClusterRow.js';
import {
  endDeleted,
  failHop,
  hopVerb,
  hopVersions,
  requeueWork,
  writeClusterRow,
} from './writeClusterRow.js';

const TRIES = 3;

export async function applyClusterStep(
  deps: ServiceDeps,
  msg: ClusterWorkMessage,
  delivery?: Delivery,
): Promise<StepResult> {
  await recordLastEventIfRedelivered(deps, msg, delivery);
  const memo: HopContext['memo'] = {};
  for (let i = 0; i < TRIES; i++) {
    try {
      return await applyOnce(deps, msg, memo);
    } catch (e) {
      if (!(e instanceof ConcurrencyError)) throw e;
      deps.log.info('Cluster row changed meanwhile; deciding again', { ...ids(msg), hop: msg.hop });
    }
  }
  await deps.queue.send(QUEUES.clusterSteps, msg, { delayMs: deps.settings.checkDelayMs });
  return requeued('ConcurrentUpdate', deps.settings.checkDelayMs);
}

async function applyOnce(
  deps: ServiceDeps,
  msg: ClusterWorkMessage,
  memo: HopContext['memo'],
): Promise<StepResult> {
  const row = await deps.rollouts.getCluster(msg.rolloutId, msg.clusterId);
  if (!row) return ignored('RowNotFound');
  const r = row.value;
  if (r.state !== 'InProgress') return ignored('NotInProgress');
  if (r.hop !== msg.hop || r.hop >= r.path.length) return ignored('StaleHop');
  const { from, to } = hopVersions(r);
  const op =
    r.operation?.kind === 'put' && sameVersion(r.operation.targetVersion, to) ? r.operation : undefined;

  // This invocation PUT, then lost the race to record the id: record it now (the intent is still ours).
  if (op && !op.operationId && memo.started && sameVersion(memo.started.target, to))
    return recordStartedOperation(deps, row, memo.started.operationId);
  if (op?.operationId) {
    const check = { ...ids(msg), hop: r.hop, operationId: op.operationId };
    const delayMs = deps.settings.checkDelayMs;
    if (r.reason === 'Dispatched') {
      // Re-dispatched (after Deferred): the operation waited with ARM meanwhile; its deadline restarts now.
      const deadline = new Date(deps.clock.now().getTime() + deps.settings.operationDeadlineMs).toISOString();
      await writeClusterRow(deps, row, {
        set: {
          operation: { ...op, deadline },
          reason: 'OperationResumed',
          message: `checking operation ${op.operationId} again (deadline ${deadline})`,
        },
        send: [{ queue: QUEUES.clusterChecks, message: check, delayMs }],
      });
    } else await deps.queue.send(QUEUES.clusterChecks, check, { delayMs });
    deps.log.info('Operation already started; check re-sent', { ...ids(msg), hop: r.hop });
    return { outcome: 'done', reason: 'CheckResent' };
  }

  const rollout = await deps.rollouts.get(r.rolloutId);
  if (!rollout) return ignored('RolloutNotFound');
  // Cancelled: the operation in flight when it was cancelled has finished (or never started): stop here.
  if (rollout.value.rollout.state === 'Cancelled' && !op) return stopCancelled(deps, row, from, to);

  if (r.crdStepHops.includes(r.hop) && !r.approved) {
    const message =
      `hop ${r.hop + 1} of ${r.path.length} (${from} -> ${to}) changes CRDs: back up the custom resources, ` +
      `delete the OSM CRDs on the cluster, then approve the cluster in the rollout`;
    await writeClusterRow(deps, row, {
      set: { state: 'AwaitingApproval', reason: 'AwaitingCrdApproval', message },
      event: {
        action: 'CrdApprovalRequired',
        result: 'Recorded',
        from,
        to,
        reason: 'AwaitingCrdApproval',
        message,
      },
    });
    return { outcome: 'stalled', reason: 'AwaitingCrdApproval' };
  }

  const ctx: HopContext = {
    deps,
    msg,
    row,
    policy: rollout.value.policy,
    ...(rollout.value.protectedSettings ? { protectedSettings: rollout.value.protectedSettings } : {}),
    from,
    to,
    intent: op,
    memo,
  };

  let cluster: ClusterInfo | undefined;
  try {
    cluster = await deps.arm.getCluster(r.clusterId);
  } catch (e) {
    const f = classifyArmFailure(e, deps.settings.checkDelayMs);
    if (!f) throw e;
    const a = armReaction('hopClusterRead', f);
    if (a.reaction === 'requeue') return requeueWork(deps, row, QUEUES.clusterSteps, msg, a);
    if (a.reaction === 'endDeleted') return endDeleted(ctx, row);
    return failHop(ctx, row, a.reason, a.message);
  }
  if (!cluster) return endDeleted(ctx, row);
  const offline = await leaveIfNotConnected(deps, row, cluster, from, to);
  if (offline) return offline;

  const lease = await takeClusterLease(deps, cluster, r.rolloutId);
  if (!lease.taken) {
    const wait = Date.parse(lease.until) - deps.clock.now().getTime();
    // Look again soon: the holder's work on the cluster usually ends long before its lease expires.
    const delayMs = Math.max(deps.settings.checkDelayMs, Math.min(wait, 2 * deps.settings.checkDelayMs));
    const message = `another operation holds the cluster (${lease.holder}, until ${lease.until})`;
    return requeueWork(deps, row, QUEUES.clusterSteps, msg, { reason: 'ClusterBusy', message, delayMs });
  }
  return startHopOperation(ctx, cluster.extensions);
}

/**
 * Offline or Connecting (and any status ARM may add): Deferred, picked up again when Connected. Expired:
 * Skipped with the way out. An operation the row carries is kept, so a re-dispatch checks it, not re-PUTs.
 */
export async function leaveIfNotConnected(
  deps: ServiceDeps,
  row: ClusterRow,
  cluster: ClusterInfo,
  from: string | null,
  to: string,
): Promise<StepResult | undefined> {
  const status = cluster.connectivity;
  if (status === 'Connected') return undefined;
  const verb = hopVerb(row.value);
  if (status === 'Expired') {
    const message =
      'the cluster is Expired (its managed identity certificate lapsed): reconnect it with ' +
      '`az connectedk8s connect` (which deletes its extensions), then start a new rollout';
    await writeClusterRow(deps, row, {
      set: { state: 'Skipped', reason: 'ClusterExpired', message },
      event: { action: `${verb}Skipped`, result: 'Skipped', from, to, reason: 'ClusterExpired', message },
    });
    return { outcome: 'stalled', reason: 'ClusterExpired' };
  }
  const message = `the cluster is ${status}: deferred until it is Connected again`;
  await writeClusterRow(deps, row, {
    set: { state: 'Deferred', reason: 'ClusterOffline', message },
    event: { action: `${verb}Deferred`, result: 'Recorded', from, to, reason: 'ClusterOffline', message },
  });
  return { outcome: 'stalled', reason: 'ClusterOffline' };
}

/** A hop of a cancelled rollout that has not started: the row ends Cancelled at the version reached. */
async function stopCancelled(
  deps: ServiceDeps,
  row: ClusterRow,
  from: string | null,
  to: string,
): Promise<StepResult> {
  const r = row.value;
  const message =
    r.hop > 0
      ? `rollout cancelled: stopped after hop ${r.hop} of ${r.path.length}, the cluster runs ${from ?? '(none)'}`
      : 'rollout cancelled before the operation started';
  await writeClusterRow(deps, row, {
    set: { state: 'Cancelled', reason: 'RolloutCancelled', message },
    event: { action: 'RolloutCancelled', result: 'Skipped', from, to, reason: 'RolloutCancelled', message },
  });
  return { outcome: 'stalled', reason: 'RolloutCancelled' };
}

const ids = (m: ClusterWorkMessage) => ({ rolloutId: m.rolloutId, clusterId: m.clusterId });

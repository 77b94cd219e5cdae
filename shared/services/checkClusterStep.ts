/**
 * Queue `cluster-checks`: polls the operation of one hop (ARM's operation status, or, when the id was never
 * recorded, the extension's provisioning state). Only a row InProgress at the message's hop, carrying an
 * operation (the same id when the message names one), is acted on. Outcomes:
 * - still running: another check after `checkDelayMs`; once the operation has run OFFLINE_PROBE_AFTER_MS
 *   (and at the deadline) the cluster's connectivity is read: an Offline cluster's row is Deferred instead of
 *   waiting out the deadline (ARM keeps the PUT and the agent applies it when the cluster is back; the
 *   operation stays on the row so the re-dispatched step checks it instead of PUTting again). Past the
 *   deadline on a Connected cluster: Failed `OperationStuck`. No force-delete: no policy field allows it.
 * - succeeded: confirmed by the extension itself (Resource Graph lags, ARM is the truth), then `completeHop`
 *   (next hop, or Succeeded plus Azure Monitor). A hop that moves the version reads the extension FIRST:
 *   busy means running, provisioned at the target means done (confirmed in the same read); only when that
 *   says neither is the operation read, so a hop costs one read per check, not two;
 * - failed: Failed with ARM's code and message (the operation's error, or the extension's own errorInfo);
 *   a terminating release namespace is waited out and a conflicting operation retried instead (the same
 *   PUT sent again later, within the deadline), with a `<Verb>Waiting` history event in Azure's words;
 *   the connected cluster gone (here or at any read): Skipped `ClusterDeleted`, never Failed.
 */
import { ConcurrencyError } from '../domain/errors.js';
import type { ClusterWorkMessage } from '../domain/records.js';
import { QUEUES } from '../domain/records.js';
import { leaveIfNotConnected } from './applyClusterStep.js';
import { observeHop, type Observed } from './observeHop.js';
import { armReaction, classifyArmFailure, classifyFailedOperation } from '../domain/armFailure.js';
import { renewClusterLease } from './clusterLease.js';
import { heartbeatMs } from './repairLostMessages.js';
import { completeHop } from './completeHop.js';
import { sameVersion } from './desiredOsmExtension.js';
import type { Delivery } from './recordLastEvent.js';
import { recordLastEventIfRedelivered } from './recordLastEvent.js';
import type { ServiceDeps } from './serviceDeps.js';
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

export const OFFLINE_PROBE_AFTER_MS = 5 * 60_000;
/** PUT attempts of one hop (`hopAttempts`) after which a PUT that left no trace fails the hop. */
export const MAX_HOP_ATTEMPTS = 3;
const TRIES = 3;

export async function checkClusterStep(
  deps: ServiceDeps,
  msg: ClusterWorkMessage,
  delivery?: Delivery,
): Promise<StepResult> {
  await recordLastEventIfRedelivered(deps, msg, delivery);
  for (let i = 0; i < TRIES; i++) {
    try {
      return await checkOnce(deps, msg);
    } catch (e) {
      if (!(e instanceof ConcurrencyError)) throw e;
    }
  }
  await deps.queue.send(QUEUES.clusterChecks, msg, { delayMs: deps.settings.checkDelayMs });
  return requeued('ConcurrentUpdate', deps.settings.checkDelayMs);
}

async function checkOnce(deps: ServiceDeps, msg: ClusterWorkMessage): Promise<StepResult> {
  const row = await deps.rollouts.getCluster(msg.rolloutId, msg.clusterId);
  if (!row) return ignored('RowNotFound');
  const r = row.value;
  if (r.state !== 'InProgress' || r.hop !== msg.hop) return resendLostFollowUp(deps, row, msg);
  const op = r.operation;
  if (!op) return ignored('NoOperation');
  if (msg.operationId && msg.operationId !== op.operationId) return ignored('StaleOperation');
  try {
    return await decide(deps, msg, row, await observeHop(deps, row));
  } catch (e) {
    // Any ARM read of this check (operation, extension, cluster) failing: retry later, or fail the hop.
    const f = classifyArmFailure(e, deps.settings.checkDelayMs);
    if (!f) throw e;
    const a = armReaction('hopCheckRead', f);
    if (a.reaction === 'requeue') return requeueWork(deps, row, QUEUES.clusterChecks, msg, a);
    if (a.reaction === 'endDeleted') return endDeleted({ deps, ...hopVersions(r) }, row);
    return failHop({ deps, ...hopVersions(r) }, row, a.reason, a.message);
  }
}

async function decide(
  deps: ServiceDeps,
  msg: ClusterWorkMessage,
  row: ClusterRow,
  seen: Observed,
): Promise<StepResult> {
  const r = row.value;
  const op = r.operation!;
  const { from, to } = hopVersions(r);
  const ctx = { deps, from, to };
  const now = deps.clock.now().getTime();

  if (seen.status === 'InProgress') {
    const elapsed = now - Date.parse(op.startedAt);
    const late = now > Date.parse(op.deadline);
    if (late || elapsed >= OFFLINE_PROBE_AFTER_MS) {
      const cluster = await deps.arm.getCluster(r.clusterId);
      if (!cluster) return endDeleted(ctx, row);
      const left = await leaveIfNotConnected(deps, row, cluster, from, to);
      if (left) return left;
    }
    if (late) {
      const minutes = Math.round(elapsed / 60_000);
      const message =
        `operation ${op.operationId ?? '(id not recorded)'} on ${op.extensionName} still in progress after ` +
        `${minutes} min (deadline ${op.deadline}); not force-deleted (no policy allows it): inspect the ` +
        `extension's statuses on the cluster, then retry-failed`;
      return failHop(ctx, row, 'OperationStuck', message);
    }
    await renewClusterLease(deps, r.clusterId, r.rolloutId);
    await deps.queue.send(QUEUES.clusterChecks, msg, { delayMs: deps.settings.checkDelayMs });
    if (now - Date.parse(r.updatedAt) > heartbeatMs(deps.settings)) await heartbeat(deps, row);
    return requeued('OperationInProgress', deps.settings.checkDelayMs);
  }

  if (seen.status === 'Succeeded') {
    const ext = seen.ext ?? (await deps.arm.getExtension(r.clusterId, op.extensionName));
    if (ext?.provisioningState.toLowerCase() === 'succeeded' && sameVersion(ext.version, to)) {
      const rollout = await deps.rollouts.get(r.rolloutId);
      return completeHop(deps, row, rollout?.value.policy.monitor.enabled ?? false);
    }
    if (op.operationId && now <= Date.parse(op.deadline)) {
      const message = `operation succeeded; the extension reports ${ext?.version ?? 'no version'} yet, not ${to}`;
      return requeueWork(deps, row, QUEUES.clusterChecks, msg, {
        reason: 'AwaitingVersion',
        message,
        delayMs: deps.settings.checkDelayMs,
      });
    }
    const message = `the extension reports ${ext?.version ?? 'no version'} after the operation, not ${to}`;
    return failHop(ctx, row, 'VersionMismatch', message);
  }

  if (seen.status === 'NotOurs') return putAgain(deps, row, seen.message, ctx);
  // A deleted cluster's operations end Canceled/Failed (ParentResourceNotFound): that is no failure.
  if ((await deps.arm.getCluster(r.clusterId)) === undefined) return endDeleted(ctx, row);

  // A terminating namespace or a conflicting operation (ARM may accept the PUT and fail its operation with
  // "conflicting operation in progress" instead of answering 409): the PUT did not take, so the hop goes
  // back to an intent (no id, same deadline) and the redelivered step finds nothing running and PUTs again.
  const meaning = armReaction(
    'hopOperationFailed',
    classifyFailedOperation(seen.code, seen.message, deps.settings.checkDelayMs),
  );
  if (meaning.reaction === 'waitInDeadline' && now + meaning.delayMs <= Date.parse(op.deadline)) {
    const { operationId: _dropped, ...intent } = op;
    await writeClusterRow(deps, row, {
      set: {
        operation: intent,
        reason: meaning.reason,
        message: meaning.message,
        retryAt: new Date(now + meaning.delayMs).toISOString(),
      },
      event: {
        action: `${hopVerb(r)}Waiting`,
        result: 'Recorded',
        from,
        to,
        reason: meaning.reason,
        message: meaning.message,
      },
      send: [{ queue: QUEUES.clusterSteps, message: ids(r), delayMs: meaning.delayMs }],
    });
    return requeued(meaning.reason, meaning.delayMs);
  }
  return failHop(ctx, row, seen.code, seen.message);
}

/** No trace of our PUT (it never landed, or the busy extension was someone else's): drop the intent, step again. */
async function putAgain(
  deps: ServiceDeps,
  row: ClusterRow,
  why: string,
  ctx: { deps: ServiceDeps; from: string | null; to: string },
): Promise<StepResult> {
  const tried = row.value.hopAttempts ?? 0;
  if (tried >= MAX_HOP_ATTEMPTS)
    return failHop(ctx, row, 'OperationNotApplied', `${why}, after ${tried} attempts at this hop`);
  await writeClusterRow(deps, row, {
    set: { operation: undefined, reason: 'OperationNotApplied', message: `${why}: the hop is sent again` },
    send: [{ queue: QUEUES.clusterSteps, message: ids(row.value) }],
  });
  return { outcome: 'done', reason: 'StepResent' };
}

/**
 * A check that finds the row elsewhere is normally stale. Two cases are a crash right after the row write
 * that ended its hop, before the follow-up message left: re-send it (both receivers are idempotent).
 */
async function resendLostFollowUp(
  deps: ServiceDeps,
  row: ClusterRow,
  msg: ClusterWorkMessage,
): Promise<StepResult> {
  const r = row.value;
  if (r.state === 'InProgress' && r.hop === msg.hop + 1 && !r.operation && r.hop < r.path.length) {
    await deps.queue.send(QUEUES.clusterSteps, ids(r));
    return { outcome: 'done', reason: 'StepResent' };
  }
  if (r.state === 'Succeeded' && r.monitor === 'Pending' && msg.hop === r.path.length - 1) {
    await deps.queue.send(QUEUES.monitorSteps, { ...ids(r), hop: r.path.length });
    return { outcome: 'done', reason: 'MonitorResent' };
  }
  return ignored(r.state === 'InProgress' ? 'StaleHop' : 'NotInProgress');
}

const ids = (r: { rolloutId: string; clusterId: string; hop: number }): ClusterWorkMessage => ({
  rolloutId: r.rolloutId,
  clusterId: r.clusterId,
  hop: r.hop,
});

/** Bumps the row's `updatedAt` so the reconcile's repair pass sees the check chain is alive (repairLostMessages). */
async function heartbeat(deps: ServiceDeps, row: ClusterRow): Promise<void> {
  try {
    await writeClusterRow(deps, row, { set: {} });
  } catch (err) {
    if (!(err instanceof ConcurrencyError)) throw err;
  }
}

/**
 * Queue `cluster-checks`, decided: the operation of one hop. Only a row InProgress at the message's hop,
 * carrying an operation (the same id when the message names one, or the intent the message's PUT went out
 * under, whose id the check then records: `checkedOperation`), is acted on; a row elsewhere may be a
 * crash right after the write that ended its hop, before the follow-up left: that follow-up is re-sent.
 * What the check sees (`observeHop`): a hop that moves the version reads the extension FIRST (busy means
 * running, provisioned at the target means done, confirmed in the same read); otherwise ARM's operation;
 * an operation ARM forgot, or no id at all (a worker died between intent and id), is judged by the
 * extension alone, and a settings-only hop then needs the hop's settings on it.
 * - still running: another check; after OFFLINE_PROBE_AFTER_MS (and at the deadline) the cluster's
 *   connectivity is read (Offline -> Deferred, operation kept); past the deadline: Failed `OperationStuck`;
 * - succeeded: confirmed by the extension at the target (ARM is the truth), then the hop completes;
 * - no trace of our PUT: the intent is dropped and the step sent again, at most MAX_HOP_ATTEMPTS per hop;
 * - failed: a terminating namespace or a conflicting operation goes back to an intent (no id, same
 *   deadline) and the step PUTs again later; anything else fails with ARM's code and message; the
 *   connected cluster gone (here or at any read): Skipped `ClusterDeleted`.
 */
import { armReaction, classifyFailedOperation } from '../armFailure.js';
import { sameVersion } from '../desiredOsmExtension.js';
import { QUEUES, type ClusterWorkMessage, type OperationRecord } from '../records.js';
import { ignoredDecision, type Decision, type HopContext, type HopRow } from './hopDecision.js';
import {
  MAX_HOP_ATTEMPTS,
  OFFLINE_PROBE_AFTER_MS,
  completeHop,
  endDeleted,
  failHop,
  heartbeatMs,
  hopIds,
  hopVerb,
  hopVersions,
  leaveIfNotConnected,
  requeueWork,
} from './hopRows.js';
import { observeHop, type CheckDecision, type CheckObservation, type ReadFailed } from './observeHop.js';

export type { CheckObservation, CheckNeed, CheckDecision } from './observeHop.js';

export function decideCheck(row: HopRow | undefined, obs: CheckObservation, ctx: HopContext): CheckDecision {
  if (!row) return ignoredDecision('RowNotFound');
  if (row.state !== 'InProgress' || row.hop !== obs.msg.hop) return resendLostFollowUp(row, obs.msg);
  if (!row.operation) return ignoredDecision('NoOperation');
  const op = checkedOperation(row.operation, obs.msg);
  if (!op) return ignoredDecision('StaleOperation');
  if (op === row.operation) return decideOn(row, op, obs, ctx);
  // The id came with the message: every row change this check makes records it too.
  const d = decideOn({ ...row, operation: op }, op, obs, ctx);
  if ('need' in d || !d.change || 'operation' in d.change.set) return d;
  return { ...d, change: { ...d.change, set: { ...d.change.set, operation: op } } };
}

/**
 * The operation the message checks: the row's, when the ids agree (or the message names none); the row's
 * intent with the message's id, when the row names no id yet and the message was sent under this intent
 * (`intentAt`, decideStep's first check); else undefined (a stale message: another attempt's operation).
 */
export function checkedOperation(op: OperationRecord, msg: ClusterWorkMessage): OperationRecord | undefined {
  if (!msg.operationId || msg.operationId === op.operationId) return op;
  if (!op.operationId && msg.intentAt === op.startedAt) return { ...op, operationId: msg.operationId };
  return undefined;
}

function decideOn(row: HopRow, op: OperationRecord, obs: CheckObservation, ctx: HopContext): CheckDecision {
  const seen = observeHop(row, obs, ctx);
  if ('need' in seen) return seen;
  if ('failure' in seen) return onReadFailed(row, obs.msg, seen);
  const now = ctx.now.getTime();
  const { to } = hopVersions(row);

  if (seen.status === 'InProgress') {
    const elapsed = now - Date.parse(op.startedAt);
    const late = now > Date.parse(op.deadline);
    if (late || elapsed >= OFFLINE_PROBE_AFTER_MS) {
      if (!obs.cluster) return { need: 'cluster' };
      if ('failure' in obs.cluster)
        return onReadFailed(row, obs.msg, { site: 'hopCheckRead', ...obs.cluster });
      if (!obs.cluster.ok) return endDeleted(row);
      const left = leaveIfNotConnected(row, obs.cluster.ok);
      if (left) return left;
    }
    if (late) {
      const message =
        `operation ${op.operationId ?? '(id not recorded)'} on ${op.extensionName} still in progress after ` +
        `${Math.round(elapsed / 60_000)} min (deadline ${op.deadline}); not force-deleted (no policy allows it): ` +
        `inspect the extension's statuses on the cluster, then retry-failed`;
      return failHop(row, 'OperationStuck', message);
    }
    // A heartbeat now and then: the lost-message repair tells a long install from a lost check by `updatedAt`.
    const beat = now - Date.parse(row.updatedAt) > heartbeatMs(ctx.settings);
    const delayMs = ctx.settings.checkDelayMs;
    return {
      // The lease was taken with the intent: it has more than half left (nothing to renew, leaseRules.ts)
      // until the operation has run a quarter of it, so the checks before that read nothing for it.
      renewLease: elapsed > ctx.settings.leaseMs / 4,
      ...(beat ? { change: { set: {}, note: true } } : {}),
      sends: [{ queue: QUEUES.clusterChecks, message: obs.msg, delayMs }],
      result: { outcome: 'requeued', reason: 'OperationInProgress', delayMs },
    };
  }

  if (seen.status === 'Succeeded') {
    let ext = seen.ext;
    if (!ext) {
      if (!obs.confirm) return { need: 'confirm' };
      if ('failure' in obs.confirm)
        return onReadFailed(row, obs.msg, { site: 'hopCheckRead', ...obs.confirm });
      ext = obs.confirm.ok;
    }
    if (ext?.provisioningState.toLowerCase() === 'succeeded' && sameVersion(ext.version, to)) {
      if (obs.rollout === undefined) return { need: 'rollout' };
      return completeHop(row, obs.rollout?.policy.monitor.enabled ?? false);
    }
    if (op.operationId && now <= Date.parse(op.deadline)) {
      const message = `operation succeeded; the extension reports ${ext?.version ?? 'no version'} yet, not ${to}`;
      const delayMs = ctx.settings.checkDelayMs;
      return requeueWork(QUEUES.clusterChecks, obs.msg, { reason: 'AwaitingVersion', message, delayMs });
    }
    return failHop(
      row,
      'VersionMismatch',
      `the extension reports ${ext?.version ?? 'no version'} after the operation, not ${to}`,
    );
  }

  if (seen.status === 'NotOurs') return putAgain(row, seen.message);
  // A deleted cluster's operations end Canceled/Failed (ParentResourceNotFound): that is no failure.
  if (!obs.cluster) return { need: 'cluster' };
  if ('failure' in obs.cluster) return onReadFailed(row, obs.msg, { site: 'hopCheckRead', ...obs.cluster });
  if (!obs.cluster.ok) return endDeleted(row);
  // A terminating namespace or a conflicting operation (ARM may accept the PUT and fail its operation with
  // "conflicting operation in progress" instead of answering 409): the PUT did not take, so the hop goes
  // back to an intent (no id, same deadline) and the step PUTs again after the wait.
  const a = armReaction(
    'hopOperationFailed',
    classifyFailedOperation(seen.code, seen.message, ctx.settings.checkDelayMs),
  );
  if (a.reaction === 'waitInDeadline' && now + a.delayMs <= Date.parse(op.deadline)) {
    const { operationId: _dropped, ...intent } = op;
    const { from } = hopVersions(row);
    return {
      change: {
        set: {
          operation: intent,
          reason: a.reason,
          message: a.message,
          retryAt: new Date(now + a.delayMs).toISOString(),
        },
        event: {
          action: `${hopVerb(row)}Waiting`,
          result: 'Recorded',
          from,
          to,
          reason: a.reason,
          message: a.message,
        },
      },
      sends: [{ queue: QUEUES.clusterSteps, message: hopIds(row), delayMs: a.delayMs }],
      result: { outcome: 'requeued', reason: a.reason, delayMs: a.delayMs },
    };
  }
  return failHop(row, seen.code, seen.message);
}

function onReadFailed(row: HopRow, msg: ClusterWorkMessage, f: ReadFailed): Decision {
  const a = armReaction(f.site, f.failure);
  if (a.reaction === 'requeue') return requeueWork(QUEUES.clusterChecks, msg, a);
  if (a.reaction === 'endDeleted' || a.reaction === 'forgotten') return endDeleted(row);
  return failHop(row, a.reason, a.message);
}

/** No trace of our PUT (it never landed, or the busy extension was someone else's): drop the intent, step again. */
function putAgain(row: HopRow, why: string): Decision {
  const tried = row.hopAttempts ?? 0;
  if (tried >= MAX_HOP_ATTEMPTS)
    return failHop(row, 'OperationNotApplied', `${why}, after ${tried} attempts at this hop`);
  return {
    change: {
      set: { operation: undefined, reason: 'OperationNotApplied', message: `${why}: the hop is sent again` },
    },
    sends: [{ queue: QUEUES.clusterSteps, message: hopIds(row) }],
    result: { outcome: 'done', reason: 'StepResent' },
  };
}

/**
 * A check that finds the row elsewhere is normally stale. Two cases are a crash right after the row write
 * that ended its hop, before the follow-up message left: re-send it (both receivers are idempotent).
 */
function resendLostFollowUp(row: HopRow, msg: ClusterWorkMessage): Decision {
  if (row.state === 'InProgress' && row.hop === msg.hop + 1 && !row.operation && row.hop < row.path.length)
    return {
      sends: [{ queue: QUEUES.clusterSteps, message: hopIds(row) }],
      result: { outcome: 'done', reason: 'StepResent' },
    };
  if (row.state === 'Succeeded' && row.monitor === 'Pending' && msg.hop === row.path.length - 1)
    return {
      sends: [{ queue: QUEUES.monitorSteps, message: { ...hopIds(row), hop: row.path.length } }],
      result: { outcome: 'done', reason: 'MonitorResent' },
    };
  return ignoredDecision(row.state === 'InProgress' ? 'StaleHop' : 'NotInProgress');
}

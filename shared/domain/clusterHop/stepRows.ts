/**
 * The row changes and follow-ups of decideStep.ts, one builder each: the intent (new or claimed again), the
 * first check with ARM's operation id, the check sent (again), and the two ways a step stops before its PUT (CRD approval,
 * the rollout cancelled).
 */
import type { OperationRecord } from '../records.js';
import { QUEUES } from '../records.js';
import type { Decision, HopContext, HopRow } from './hopDecision.js';
import { hopIds, hopVerb, hopVersions } from './hopRows.js';

/** An intent found older than INTENT_GRACE_MS (its PUT never left, or left unanswered), claimed to PUT now. */
export function claimIntent(intent: OperationRecord, ctx: HopContext): NonNullable<Decision['change']> {
  return { set: { operation: { ...intent, startedAt: ctx.now.toISOString() } } };
}

/** The intent: the hop's operation without ARM's id yet, one more attempt, and its history event. */
export function writeIntent(row: HopRow, ctx: HopContext): NonNullable<Decision['change']> {
  const { from, to } = hopVersions(row);
  const verb = hopVerb(row);
  const now = ctx.now;
  const operation: OperationRecord = {
    kind: 'put',
    extensionName: row.extensionName,
    targetVersion: to,
    startedAt: now.toISOString(),
    deadline: new Date(now.getTime() + ctx.settings.operationDeadlineMs).toISOString(),
  };
  const message = `${verb.toLowerCase()} ${from ?? '(none)'} -> ${to}, hop ${row.hop + 1} of ${row.path.length}`;
  const reason = `${verb}Started`;
  return {
    set: {
      operation,
      attempts: row.attempts + 1,
      hopAttempts: (row.hopAttempts ?? 0) + 1,
      lastAttemptedVersion: to,
      reason,
      message,
    },
    event: { action: reason, result: 'Started', from, to, reason, message },
  };
}

/**
 * The PUT left: its first check, carrying ARM's operation id and the intent it went out under. The row is
 * not written (issue 15: a row write per hop); the check records the id with its first row change.
 */
export function checkStarted(
  row: HopRow,
  op: OperationRecord,
  operationId: string,
  ctx: HopContext,
): Decision {
  return {
    sends: [
      {
        queue: QUEUES.clusterChecks,
        message: { ...hopIds(row), operationId, intentAt: op.startedAt },
        delayMs: ctx.settings.checkDelayMs,
      },
    ],
    result: { outcome: 'done', reason: 'OperationStarted' },
  };
}

/** A check without an operation id: it confirms through the extension's provisioning state and version. */
export function check(row: HopRow, reason: string, delayMs: number): Decision<never> {
  return {
    sends: [{ queue: QUEUES.clusterChecks, message: hopIds(row), delayMs }],
    result: { outcome: 'done', reason },
  };
}

export function resendCheck(
  row: HopRow,
  op: OperationRecord,
  operationId: string,
  ctx: HopContext,
): Decision {
  const send = {
    queue: QUEUES.clusterChecks,
    message: { ...hopIds(row), operationId },
    delayMs: ctx.settings.checkDelayMs,
  };
  const result = { outcome: 'done', reason: 'CheckResent' } as const;
  if (row.reason !== 'Dispatched') return { sends: [send], result };
  // Re-dispatched (after Deferred): the operation waited with ARM meanwhile; its deadline restarts now.
  const deadline = new Date(ctx.now.getTime() + ctx.settings.operationDeadlineMs).toISOString();
  const message = `checking operation ${operationId} again (deadline ${deadline})`;
  return {
    change: { set: { operation: { ...op, deadline }, reason: 'OperationResumed', message } },
    sends: [send],
    result,
  };
}

export function awaitApproval(row: HopRow): Decision {
  const { from, to } = hopVersions(row);
  const reason = 'AwaitingCrdApproval';
  const message =
    `hop ${row.hop + 1} of ${row.path.length} (${from} -> ${to}) changes CRDs: back up the custom resources, ` +
    `delete the OSM CRDs on the cluster, then approve the cluster in the rollout`;
  return {
    change: {
      set: { state: 'AwaitingApproval', reason, message },
      event: { action: 'CrdApprovalRequired', result: 'Recorded', from, to, reason, message },
    },
    sends: [],
    result: { outcome: 'stalled', reason },
  };
}

/** A hop of a cancelled rollout that has not started: the row ends Cancelled at the version reached. */
export function stopCancelled(row: HopRow): Decision {
  const { from, to } = hopVersions(row);
  const reason = 'RolloutCancelled';
  const message =
    row.hop > 0
      ? `rollout cancelled: stopped after hop ${row.hop} of ${row.path.length}, the cluster runs ${from ?? '(none)'}`
      : 'rollout cancelled before the operation started';
  return {
    change: {
      set: { state: 'Cancelled', reason, message },
      event: { action: 'RolloutCancelled', result: 'Skipped', from, to, reason, message },
    },
    sends: [],
    result: { outcome: 'stalled', reason },
  };
}

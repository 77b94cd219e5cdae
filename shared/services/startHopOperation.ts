/**
 * The effectful half of a hop, crash-safe: ARM's view of the extension (from the cluster's extension list
 * the caller read from ARM just before, so no second read) is looked at; a busy extension without
 * an earlier intent is someone else's operation: requeue (one operation per extension at a time), writing
 * nothing. Otherwise the intent is written on the row (`operation` without an id, `attempts` and
 * `hopAttempts` + 1, `lastAttemptedVersion`) BEFORE at most one PUT, THEN the operation id is recorded and
 * a check scheduled.
 * A worker that dies anywhere after the intent is redelivered and finds it:
 * - the extension busy (Creating/Updating) -> that is our PUT: schedule a check that confirms through the
 *   extension (no id), never a second PUT;
 * - the extension already at the target with nothing to change -> a check completes the hop;
 * - nothing visible yet and the intent younger than INTENT_GRACE_MS -> another delivery of this message may
 *   be about to PUT: wait; older -> the PUT never happened (or failed): PUT now.
 */
import { OSM_RELEASE_NAMESPACE } from '../domain/cluster.js';
import type { ExtensionInfo } from '../domain/cluster.js';
import type { Policy } from '../domain/policy.js';
import { NotFoundError, TransientError } from '../domain/errors.js';
import type { DesiredExtension } from '../domain/ports.js';
import type { ClusterWorkMessage, OperationRecord, ProtectedSettingsRef } from '../domain/records.js';
import { QUEUES } from '../domain/records.js';
import { armReaction, classifyArmFailure } from '../domain/armFailure.js';
import { desiredOsmExtension, osmExtensionSatisfies, sameVersion } from './desiredOsmExtension.js';
import { revealProtectedSettings } from './protectedSettings.js';
import type { ServiceDeps } from './serviceDeps.js';
import type { StepResult } from './stepResult.js';
import type { ClusterRow } from './writeClusterRow.js';
import { endDeleted, failHop, hopVerb, requeueWork, writeClusterRow } from './writeClusterRow.js';

export const INTENT_GRACE_MS = 30_000;
const BUSY = new Set(['creating', 'updating', 'deleting']);

export interface HopContext {
  deps: ServiceDeps;
  msg: ClusterWorkMessage;
  row: ClusterRow;
  policy: Policy;
  /** The snapshot's protected settings in the vault (read just before the PUT, never kept on a row). */
  protectedSettings?: ProtectedSettingsRef;
  from: string | null;
  to: string;
  /** The intent for this hop's target found on the row BEFORE this invocation (a redelivery). */
  intent: OperationRecord | undefined;
  /** What this invocation already did, kept across its re-reads after a ConcurrencyError. */
  memo: { started?: { target: string; operationId: string } };
}

/** `extensions`: the cluster's extensions as ARM listed them moments ago (`ArmClient.getCluster`). */
export async function startHopOperation(
  ctx: HopContext,
  extensions: readonly ExtensionInfo[],
): Promise<StepResult> {
  const { deps, msg, from, to } = ctx;
  const r = ctx.row.value;
  const now = deps.clock.now();
  let row = ctx.row;
  if (ctx.intent && now.getTime() > Date.parse(ctx.intent.deadline)) {
    const why = r.reason === 'NamespaceTerminating' ? 'NamespaceTerminating' : 'DeadlineExceeded';
    return failHop(
      ctx,
      row,
      why,
      `no operation could be started before the deadline ${ctx.intent.deadline}: ${r.message ?? ''}`,
    );
  }

  const ext = extensions.find((e) => e.name.toLowerCase() === r.extensionName.toLowerCase());
  const state = ext?.provisioningState.toLowerCase() ?? '';
  if (ext && BUSY.has(state)) {
    if (ctx.intent && state !== 'deleting')
      return scheduleCheck(ctx, row, 'OperationResumed', deps.settings.checkDelayMs);
    const message = `extension ${ext.name} is ${ext.provisioningState}: one operation per extension at a time`;
    const delayMs = 2 * deps.settings.checkDelayMs;
    return requeueWork(deps, row, QUEUES.clusterSteps, msg, {
      reason: 'OperationInProgress',
      message,
      delayMs,
    });
  }
  // Our intent goes on the row before anything that relies on it (the check, the PUT), never before the
  // busy test above: an intent found there means "that busy operation is ours".
  if (!ctx.intent) row = await writeIntent(ctx, now);
  const want = desiredOsmExtension({
    policy: ctx.policy,
    current: ext,
    targetVersion: to,
    distribution: r.distribution,
    catalog: deps.catalog,
  });
  if (osmExtensionSatisfies(ext, want)) return scheduleCheck(ctx, row, 'AlreadyApplied', 0);
  if (
    ext &&
    state === 'succeeded' &&
    ext.version &&
    !sameVersion(ext.version, from) &&
    !sameVersion(ext.version, to)
  )
    return failHop(
      ctx,
      row,
      'UnexpectedVersion',
      `extension ${ext.name} runs ${ext.version}, the hop starts from ${from ?? '(none)'}: plan again`,
    );
  if (!ext && from !== null)
    return failHop(
      ctx,
      row,
      'ExtensionNotFound',
      `extension ${r.extensionName} is gone (removed out of band?): plan again`,
    );
  if (ctx.intent) {
    const age = now.getTime() - Date.parse(ctx.intent.startedAt);
    if (age < INTENT_GRACE_MS) {
      const message = 'another delivery of this step recorded the intent moments ago';
      return requeueWork(deps, row, QUEUES.clusterSteps, msg, {
        reason: 'StepInFlight',
        message,
        delayMs: INTENT_GRACE_MS - age,
      });
    }
  }

  let desired: DesiredExtension = want.desired;
  if (ctx.protectedSettings) {
    try {
      const values = await revealProtectedSettings(deps, ctx.protectedSettings);
      desired = { ...desired, configurationProtectedSettings: values };
    } catch (e) {
      return onSecretError(ctx, row, e);
    }
  }
  let started;
  try {
    started = await deps.arm.beginPutExtension(r.clusterId, r.extensionName, desired);
  } catch (e) {
    return onArmError(ctx, row, e);
  }
  deps.log.info('Extension operation started', {
    rolloutId: r.rolloutId,
    clusterId: r.clusterId,
    hop: r.hop,
    operationId: started.operationId,
    settingsChanged: want.merge.changes.map((c) => c.key),
    drift: want.merge.drift.map((d) => d.key),
  });
  if (!started.operationId) return scheduleCheck(ctx, row, 'OperationStarted', 0);
  ctx.memo.started = { target: to, operationId: started.operationId };
  return recordStartedOperation(deps, row, started.operationId);
}

/** The intent: the hop's operation without ARM's id yet, one more attempt, and its history event. */
async function writeIntent(ctx: HopContext, now: Date): Promise<ClusterRow> {
  const { deps, from, to } = ctx;
  const r = ctx.row.value;
  const verb = hopVerb(r);
  const operation: OperationRecord = {
    kind: 'put',
    extensionName: r.extensionName,
    targetVersion: to,
    startedAt: now.toISOString(),
    deadline: new Date(now.getTime() + deps.settings.operationDeadlineMs).toISOString(),
  };
  const message = `${verb.toLowerCase()} ${from ?? '(none)'} -> ${to}, hop ${r.hop + 1} of ${r.path.length}`;
  return writeClusterRow(deps, ctx.row, {
    set: {
      operation,
      attempts: r.attempts + 1,
      hopAttempts: (r.hopAttempts ?? 0) + 1,
      lastAttemptedVersion: to,
      reason: `${verb}Started`,
      message,
    },
    event: { action: `${verb}Started`, result: 'Started', from, to, reason: `${verb}Started`, message },
  });
}

/** Records ARM's operation id on the intent and schedules the first check. */
export async function recordStartedOperation(
  deps: ServiceDeps,
  row: ClusterRow,
  operationId: string,
): Promise<StepResult> {
  const r = row.value;
  if (!r.operation) throw new Error('recordStartedOperation: the row has no intent');
  await writeClusterRow(deps, row, {
    set: { operation: { ...r.operation, operationId } },
    send: [
      {
        queue: QUEUES.clusterChecks,
        message: { rolloutId: r.rolloutId, clusterId: r.clusterId, hop: r.hop, operationId },
        delayMs: deps.settings.checkDelayMs,
      },
    ],
  });
  return { outcome: 'done', reason: 'OperationStarted' };
}

/** A check without an operation id: it confirms through the extension's provisioning state and version. */
async function scheduleCheck(
  ctx: HopContext,
  row: ClusterRow,
  reason: string,
  delayMs: number,
): Promise<StepResult> {
  const r = row.value;
  await ctx.deps.queue.send(
    QUEUES.clusterChecks,
    { rolloutId: r.rolloutId, clusterId: r.clusterId, hop: r.hop },
    { delayMs },
  );
  ctx.deps.log.info('Check scheduled without a second PUT', {
    rolloutId: r.rolloutId,
    clusterId: r.clusterId,
    hop: r.hop,
    reason,
  });
  return { outcome: 'done', reason };
}

/** The vault unreachable or throttled: try the step again later; the secret version gone: the hop fails. */
async function onSecretError(ctx: HopContext, row: ClusterRow, e: unknown): Promise<StepResult> {
  const ref = ctx.protectedSettings;
  if (e instanceof TransientError)
    return requeueWork(ctx.deps, row, QUEUES.clusterSteps, ctx.msg, {
      reason: 'SecretStoreUnavailable',
      message: `the protected settings could not be read from the vault: ${e.message}`,
      delayMs: Math.max(e.retryAfterMs, ctx.deps.settings.checkDelayMs),
    });
  if (e instanceof NotFoundError)
    return failHop(
      ctx,
      row,
      'ProtectedSettingsNotFound',
      `secret ${ref?.secretName ?? ''} version ${ref?.version ?? ''} is gone from the vault (deleted?): the protected settings cannot be sent`,
    );
  throw e;
}

async function onArmError(ctx: HopContext, row: ClusterRow, e: unknown): Promise<StepResult> {
  const { deps, msg } = ctx;
  const f = classifyArmFailure(e, deps.settings.checkDelayMs);
  if (!f) throw e;
  const a = armReaction('hopPut', f);
  if (a.reaction === 'requeue') return requeueWork(deps, row, QUEUES.clusterSteps, msg, a);
  if (a.reaction === 'waitInDeadline') {
    const deadline = Date.parse(row.value.operation?.deadline ?? '');
    if (deps.clock.now().getTime() + a.delayMs > deadline)
      return failHop(
        ctx,
        row,
        a.reason,
        `${OSM_RELEASE_NAMESPACE} still terminating at the deadline: ${a.message}`,
      );
    return requeueWork(deps, row, QUEUES.clusterSteps, msg, a);
  }
  if (a.reaction === 'endDeleted') return endDeleted(ctx, row);
  return failHop(ctx, row, a.reason, a.message);
}

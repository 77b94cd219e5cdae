/**
 * Queue `cluster-steps`, decided: one hop on one cluster. Nothing unless the row is InProgress at the
 * message's hop (messages are at-least-once, duplicated and stale). Then, in order:
 * - this invocation's PUT answered -> its check, carrying ARM's operation id and the intent's `startedAt`
 *   (no row write: the check records the id), or a reaction to the failure through `ARM_REACTIONS.hopPut`;
 * - an operation already recorded with ARM's id -> re-send its check, never a second PUT (re-dispatched
 *   after Deferred: its deadline restarts, `OperationResumed`);
 * - the rollout cancelled and no operation begun for this hop -> Cancelled;
 * - the CRD step not approved -> AwaitingApproval;
 * - the cluster gone -> Skipped `ClusterDeleted`; not Connected -> Deferred or Skipped (Expired);
 * - the cluster lease held by another rollout -> requeued `ClusterBusy`;
 * - otherwise the start: the extension busy with someone else's operation -> requeued (one operation per
 *   extension); with our intent -> a check (never a second PUT); already what the hop would PUT -> intent
 *   and a check; changed out of band -> Failed; else the intent (`operation` without id, `attempts` and
 *   `hopAttempts` + 1) is written BEFORE the one PUT. An intent younger than INTENT_GRACE_MS found by a
 *   redelivery waits (the other delivery may be about to PUT); older, it is claimed (a fresh `startedAt`,
 *   ETag-conditional, so one of two concurrent deliveries wins) and PUT now.
 */
import { OSM_RELEASE_NAMESPACE, type ClusterInfo } from '../cluster.js';
import { armReaction, type ArmFailure } from '../armFailure.js';
import { desiredOsmExtension, osmExtensionSatisfies, sameVersion } from '../desiredOsmExtension.js';
import type { Policy } from '../policy.js';
import type { DesiredExtension } from '../ports.js';
import { QUEUES, type ClusterWorkMessage, type OperationRecord } from '../records.js';
import type { RolloutState } from '../rolloutState.js';
import { ignoredDecision, type Decision, type HopContext, type HopRow, type Read } from './hopDecision.js';
import {
  awaitApproval,
  check,
  claimIntent,
  checkStarted,
  resendCheck,
  stopCancelled,
  writeIntent,
} from './stepRows.js';
import {
  BUSY_STATES,
  INTENT_GRACE_MS,
  endDeleted,
  failHop,
  hopVersions,
  leaveIfNotConnected,
  requeueWork,
} from './hopRows.js';

export type LeaseSeen = { taken: true } | { taken: false; holder: string; until: string };

export type PutAnswer =
  | { ok: { operationId?: string } }
  | { failure: ArmFailure }
  /** The protected settings could not be read from the vault: `unavailable` (retry), `notFound` (gone). */
  | { secret: 'unavailable'; message: string; retryAfterMs: number }
  | { secret: 'notFound'; message: string };

export interface StepObservation {
  msg: ClusterWorkMessage;
  /** The rollout (null: not found). */
  rollout?: { state: RolloutState; policy: Policy } | null;
  cluster?: Read<ClusterInfo | undefined>;
  lease?: LeaseSeen;
  put?: PutAnswer;
}

/** The one ARM write of a step: the hop's PUT (protected settings are added by the executor, never here). */
export interface PutCall {
  kind: 'put';
  extensionName: string;
  desired: DesiredExtension;
  settingsChanged: string[];
  drift: string[];
}

export type StepDecision = Decision<PutCall> | { need: 'rollout' | 'cluster' | 'lease' };

export function decideStep(row: HopRow | undefined, obs: StepObservation, ctx: HopContext): StepDecision {
  if (!row) return ignoredDecision('RowNotFound');
  if (row.state !== 'InProgress') return ignoredDecision('NotInProgress');
  if (row.hop !== obs.msg.hop || row.hop >= row.path.length) return ignoredDecision('StaleHop');
  const { to } = hopVersions(row);
  const op =
    row.operation?.kind === 'put' && sameVersion(row.operation.targetVersion, to) ? row.operation : undefined;

  if (obs.put) return afterPut(row, op, obs.put, obs.msg, ctx);
  if (op?.operationId) return resendCheck(row, op, op.operationId, ctx);

  if (obs.rollout === undefined) return { need: 'rollout' };
  if (obs.rollout === null) return ignoredDecision('RolloutNotFound');
  // Cancelled: the operation in flight when it was cancelled has finished (or never started): stop here.
  if (obs.rollout.state === 'Cancelled' && !op) return stopCancelled(row);
  if (row.crdStepHops.includes(row.hop) && !row.approved) return awaitApproval(row);

  if (!obs.cluster) return { need: 'cluster' };
  if ('failure' in obs.cluster) {
    const a = armReaction('hopClusterRead', obs.cluster.failure);
    if (a.reaction === 'requeue') return requeueWork(QUEUES.clusterSteps, obs.msg, a);
    if (a.reaction === 'endDeleted') return endDeleted(row);
    return failHop(row, a.reason, a.message);
  }
  const cluster = obs.cluster.ok;
  if (!cluster) return endDeleted(row);
  const offline = leaveIfNotConnected(row, cluster);
  if (offline) return offline;

  if (!obs.lease) return { need: 'lease' };
  if (!obs.lease.taken) {
    const wait = Date.parse(obs.lease.until) - ctx.now.getTime();
    // Look again soon: the holder's work on the cluster usually ends long before its lease expires.
    const { checkDelayMs } = ctx.settings;
    const delayMs = Math.max(checkDelayMs, Math.min(wait, 2 * checkDelayMs));
    const message = `another operation holds the cluster (${obs.lease.holder}, until ${obs.lease.until})`;
    return requeueWork(QUEUES.clusterSteps, obs.msg, { reason: 'ClusterBusy', message, delayMs });
  }
  return start(row, op, cluster, obs.rollout.policy, obs.msg, ctx);
}

function start(
  row: HopRow,
  intent: OperationRecord | undefined,
  cluster: ClusterInfo,
  policy: Policy,
  msg: ClusterWorkMessage,
  ctx: HopContext,
): Decision<PutCall> {
  const { from, to } = hopVersions(row);
  const now = ctx.now.getTime();
  if (intent && now > Date.parse(intent.deadline)) {
    const why = row.reason === 'NamespaceTerminating' ? 'NamespaceTerminating' : 'DeadlineExceeded';
    const message = `no operation could be started before the deadline ${intent.deadline}: ${row.message ?? ''}`;
    return failHop(row, why, message);
  }
  const ext = cluster.extensions.find((e) => e.name.toLowerCase() === row.extensionName.toLowerCase());
  const state = ext?.provisioningState.toLowerCase() ?? '';
  if (ext && BUSY_STATES.has(state)) {
    // Our intent on the row means the busy operation is ours (a crash after the PUT): check it.
    if (intent && state !== 'deleting') return check(row, 'OperationResumed', ctx.settings.checkDelayMs);
    const message = `extension ${ext.name} is ${ext.provisioningState}: one operation per extension at a time`;
    const delayMs = 2 * ctx.settings.checkDelayMs;
    return requeueWork(QUEUES.clusterSteps, msg, { reason: 'OperationInProgress', message, delayMs });
  }
  const want = desiredOsmExtension({
    policy,
    current: ext,
    targetVersion: to,
    distribution: row.distribution,
    catalog: ctx.catalog,
  });
  // A new intent, or an old one claimed again (a fresh `startedAt` in the same ETag-conditional write):
  // of two deliveries that both find an old intent, one wins the write and PUTs, the other waits.
  const intentChange = intent ? claimIntent(intent, ctx) : writeIntent(row, ctx);
  if (osmExtensionSatisfies(ext, want))
    return { ...check(row, 'AlreadyApplied', 0), ...(intent ? {} : { change: intentChange }) };
  if (
    ext &&
    state === 'succeeded' &&
    ext.version &&
    !sameVersion(ext.version, from) &&
    !sameVersion(ext.version, to)
  )
    return failHop(
      row,
      'UnexpectedVersion',
      `extension ${ext.name} runs ${ext.version}, the hop starts from ${from ?? '(none)'}: plan again`,
    );
  if (!ext && from !== null)
    return failHop(
      row,
      'ExtensionNotFound',
      `extension ${row.extensionName} is gone (removed out of band?): plan again`,
    );
  if (intent) {
    const age = now - Date.parse(intent.startedAt);
    if (age < INTENT_GRACE_MS) {
      const message = 'another delivery of this step recorded the intent moments ago';
      return requeueWork(QUEUES.clusterSteps, msg, {
        reason: 'StepInFlight',
        message,
        delayMs: INTENT_GRACE_MS - age,
      });
    }
  }
  return {
    change: intentChange,
    sends: [],
    arm: {
      kind: 'put',
      extensionName: row.extensionName,
      desired: want.desired,
      settingsChanged: want.merge.changes.map((c) => c.key),
      drift: want.merge.drift.map((d) => d.key),
    },
    // Replaced by the decision on the PUT's answer.
    result: { outcome: 'done', reason: 'OperationStarting' },
  };
}

/** What the PUT of this invocation answered (the intent it went out under is on `row`). */
function afterPut(
  row: HopRow,
  op: OperationRecord | undefined,
  put: PutAnswer,
  msg: ClusterWorkMessage,
  ctx: HopContext,
): Decision<PutCall> {
  if ('secret' in put) {
    if (put.secret === 'unavailable')
      return requeueWork(QUEUES.clusterSteps, msg, {
        reason: 'SecretStoreUnavailable',
        message: `the protected settings could not be read from the vault: ${put.message}`,
        delayMs: Math.max(put.retryAfterMs, ctx.settings.checkDelayMs),
      });
    return failHop(row, 'ProtectedSettingsNotFound', put.message);
  }
  if ('failure' in put) {
    const a = armReaction('hopPut', put.failure);
    if (a.reaction === 'requeue') return requeueWork(QUEUES.clusterSteps, msg, a);
    if (a.reaction === 'waitInDeadline') {
      if (ctx.now.getTime() + a.delayMs > Date.parse(op?.deadline ?? ''))
        return failHop(
          row,
          a.reason,
          `${OSM_RELEASE_NAMESPACE} still terminating at the deadline: ${a.message}`,
        );
      return requeueWork(QUEUES.clusterSteps, msg, a);
    }
    if (a.reaction === 'endDeleted') return endDeleted(row);
    return failHop(row, a.reason, a.message);
  }
  if (!put.ok.operationId || !op) return check(row, 'OperationStarted', 0);
  return checkStarted(row, op, put.ok.operationId, ctx);
}

/**
 * Queue `monitor-steps`, decided: Azure Monitor onboarding of one cluster after its OSM install or upgrade
 * succeeded (row Succeeded, `monitor: 'Pending'`). One message = one step:
 * - no workspace, or OpenShift: Failed for good (`MonitorWorkspaceMissing`, `MonitorUnsupportedDistribution`);
 * - with `operationId` (a check): the operation until Succeeded (then the rule and association are ensured
 *   again, so `MonitorInstalled` means all three are in place), Failed, or past the deadline;
 * - without (ensure): the workspace, data collection rule and association first; then the extension already
 *   right -> Succeeded; busy with our PUT (an intent on the row) or someone else's -> wait; else the intent
 *   (`monitor: 'InProgress'`, attempts + 1) BEFORE the one PUT, then the id and a check.
 * Failures are retried with backoff up to MAX_MONITOR_ATTEMPTS PUTs (`monitorAttemptFailed`). The OSM state
 * (`state`, `reason`, `message`, `operation`) is never touched; the monitor's operation lives in
 * `monitorProgress.operation`.
 */
import { armReaction, type ArmFailure } from '../armFailure.js';
import { MONITOR_EXTENSION_NAME, type ExtensionInfo } from '../cluster.js';
import type { LogAnalyticsWorkspace } from '../containerInsights.js';
import {
  desiredMonitorExtension,
  monitorExtensionSatisfies,
  monitorUnsupportedReason,
} from '../monitorExtension.js';
import type { Policy } from '../policy.js';
import type { DesiredExtension, OperationStatus } from '../ports.js';
import { QUEUES, type ClusterWorkMessage, type OperationRecord } from '../records.js';
import { ignoredDecision, type Decision, type HopContext, type HopRow, type Read } from './hopDecision.js';
import { BUSY_STATES, INTENT_GRACE_MS, heartbeatMs } from './hopRows.js';
import {
  monitorAttemptFailed,
  monitorSucceeded,
  progressOf,
  resendMonitor,
  type MonitorFailure,
} from './monitorRows.js';

/** The Container insights prerequisites as ensured (`ensureDataCollection`), or why they could not be. */
export type DataCollectionSeen =
  | { ok: { workspace: LogAnalyticsWorkspace; ruleId: string; associationWritten: boolean } }
  | { failure: ArmFailure }
  /** Refused for good before any write (the workspace absent or unreadable, a malformed cluster id). */
  | { refused: { reason: string; message: string } };

export interface MonitorObservation {
  msg: ClusterWorkMessage;
  rollout?: { policy: Policy } | null;
  dataCollection?: DataCollectionSeen;
  operation?: Read<OperationStatus>;
  extension?: Read<ExtensionInfo | undefined>;
  put?: Read<{ operationId?: string }>;
}

export interface MonitorPut {
  kind: 'put';
  extensionName: string;
  desired: DesiredExtension;
}

export type MonitorNeed =
  { need: 'rollout' } | { need: 'dataCollection' | 'operation' | 'extension'; workspace: string };
export type MonitorDecision = Decision<MonitorPut> | MonitorNeed;

export function decideMonitor(
  row: HopRow | undefined,
  obs: MonitorObservation,
  ctx: HopContext,
): MonitorDecision {
  const d = decide(row, obs, ctx);
  // A step that only sends its message again bumps the row now and then, so that the lost-message repair
  // tells a long wait (an operation running, a busy extension) from a lost message (as the check does).
  if (!row || 'need' in d || d.change || d.sends.length === 0) return d;
  const stale = ctx.now.getTime() - Date.parse(row.updatedAt) > heartbeatMs(ctx.settings);
  return stale ? { ...d, change: { set: {}, note: true } } : d;
}

function decide(row: HopRow | undefined, obs: MonitorObservation, ctx: HopContext): MonitorDecision {
  if (!row) return ignoredDecision('RowNotFound');
  if (row.monitor !== 'Pending' && row.monitor !== 'InProgress') return ignoredDecision('MonitorNotPending');
  const { msg } = obs;
  if (msg.hop !== row.path.length) return ignoredDecision('StaleHop');
  if (obs.rollout === undefined) return { need: 'rollout' };
  if (obs.rollout === null) return ignoredDecision('RolloutNotFound');
  const monitor = obs.rollout.policy.monitor;
  const workspace = monitor.logAnalyticsWorkspaceResourceId ?? ctx.settings.defaultWorkspaceId;
  const delay = ctx.settings.checkDelayMs;
  const failed = (f: MonitorFailure, on = row) => monitorAttemptFailed(on, msg, f, delay, ctx.now);
  if (!workspace)
    return failed({
      reason: 'MonitorWorkspaceMissing',
      message: 'no Log Analytics workspace',
      then: 'final',
    });
  const unsupported = monitorUnsupportedReason(row.distribution);
  if (unsupported)
    return failed({ reason: 'MonitorUnsupportedDistribution', message: unsupported, then: 'final' });
  const p = progressOf(row);
  const now = ctx.now.getTime();
  const late = !!p.operation && now > Date.parse(p.operation.deadline);
  const since = p.operation ? `${Math.round((now - Date.parse(p.operation.startedAt)) / 60_000)} min` : '';
  const need = (what: 'dataCollection' | 'operation' | 'extension'): MonitorNeed => ({
    need: what,
    workspace,
  });
  const succeeded = (ruleId: string) =>
    monitorSucceeded(row, { workspace, namespaces: monitor.namespaces, ruleId });

  if (obs.put) {
    // The answer to this invocation's PUT; `row` carries the intent it went out under.
    if ('failure' in obs.put) {
      const a = armReaction('monitorPut', obs.put.failure);
      const then = a.reaction === 'attemptFailed' ? 'retry' : 'final';
      return failed({ reason: a.reason, message: a.message, then, minDelayMs: a.delayMs });
    }
    const operationId = obs.put.ok.operationId;
    if (!operationId || !p.operation) return resendMonitor(msg, 'MonitorStarted', 0);
    return {
      change: { set: { monitorProgress: { ...p, operation: { ...p.operation, operationId } } } },
      sends: [{ queue: QUEUES.monitorSteps, message: { ...msg, operationId }, delayMs: delay }],
      result: { outcome: 'done', reason: 'MonitorStarted' },
    };
  }

  if (msg.operationId) {
    if (p.operation?.operationId !== msg.operationId) return ignoredDecision('StaleOperation');
    if (!obs.operation) return need('operation');
    if ('failure' in obs.operation) {
      const a = armReaction('monitorOperationRead', obs.operation.failure);
      if (a.reaction === 'forgotten') {
        // ARM does not know the operation (it never ran, or is long gone): drop its id, so that the step
        // ensures again from the extension (a new PUT if it is not there) instead of checking it forever.
        const { operationId: _forgotten, ...intent } = p.operation;
        return {
          ...resendMonitor({ ...msg, operationId: undefined }, 'OperationForgotten', 0),
          change: { set: { monitorProgress: { ...p, operation: intent } } },
        };
      }
      if (a.reaction === 'requeue') return resendMonitor(msg, a.reason, a.delayMs);
      return failed({ reason: a.reason, message: a.message, then: 'retry' });
    }
    const s = obs.operation.ok;
    if (s.status === 'Succeeded') {
      if (!obs.dataCollection) return need('dataCollection');
      const dc = dataCollection(row, msg, obs.dataCollection, delay, ctx.now);
      return 'ok' in dc ? succeeded(dc.ok.ruleId) : dc.decision;
    }
    if (s.status !== 'InProgress')
      return failed({
        reason: s.error?.code ?? `Operation${s.status}`,
        message: s.error?.message ?? s.status,
        then: 'retry',
      });
    if (late)
      return failed({
        reason: 'MonitorOperationStuck',
        message: `still in progress after ${since}`,
        then: 'retry',
      });
    return resendMonitor(msg, 'MonitorInProgress', delay);
  }

  if (p.operation?.operationId)
    return resendMonitor({ ...msg, operationId: p.operation.operationId }, 'CheckResent', delay);
  if (!obs.dataCollection) return need('dataCollection');
  const dc = dataCollection(row, msg, obs.dataCollection, delay, ctx.now);
  if (!('ok' in dc)) return dc.decision;
  const want = desiredMonitorExtension(dc.ok.workspace);
  if (!obs.extension) return need('extension');
  if ('failure' in obs.extension) {
    const a = armReaction('monitorExtensionRead', obs.extension.failure);
    if (a.reaction === 'requeue') return resendMonitor(msg, a.reason, a.delayMs);
    const then = a.reaction === 'attemptFailed' ? 'retry' : 'final';
    return failed({ reason: a.reason, message: a.message, then, minDelayMs: a.delayMs });
  }
  const ext = obs.extension.ok;
  // An extension found without its association was installed incompletely: sent again, with every setting.
  if (!dc.ok.associationWritten && monitorExtensionSatisfies(ext, want)) return succeeded(dc.ok.ruleId);
  if (ext && BUSY_STATES.has(ext.provisioningState.toLowerCase())) {
    if (late)
      return failed({
        reason: 'MonitorOperationStuck',
        message: `still ${ext.provisioningState} after ${since}`,
        then: 'retry',
      });
    // Ours when the row carries the intent (a crash after the PUT), someone else's otherwise: wait either way.
    return resendMonitor(msg, p.operation ? 'MonitorInProgress' : 'OperationInProgress', delay);
  }
  // An intent moments old: another delivery wrote it and may be about to PUT (as decideStep's StepInFlight).
  // Older, its PUT never left: a new intent, ETag-conditional, so of two deliveries one PUTs.
  const intentAge = p.operation ? now - Date.parse(p.operation.startedAt) : Infinity;
  if (intentAge < INTENT_GRACE_MS) return resendMonitor(msg, 'StepInFlight', INTENT_GRACE_MS - intentAge);
  const operation: OperationRecord = {
    kind: 'put',
    extensionName: MONITOR_EXTENSION_NAME,
    startedAt: ctx.now.toISOString(),
    deadline: new Date(now + ctx.settings.operationDeadlineMs).toISOString(),
  };
  const attempts = p.attempts + 1;
  const message = `installing ${MONITOR_EXTENSION_NAME} (attempt ${attempts}), workspace ${workspace}`;
  return {
    change: {
      set: {
        monitor: 'InProgress',
        monitorProgress: { ...p, attempts, operation, reason: 'MonitorInstalling', message },
      },
      event: { action: 'MonitorStarted', result: 'Started', reason: 'MonitorInstalling', message },
    },
    sends: [],
    arm: { kind: 'put', extensionName: MONITOR_EXTENSION_NAME, desired: want },
    result: { outcome: 'done', reason: 'MonitorStarting' },
  };
}

/** The prerequisites' outcome: in place, or the decision their failure leads to. */
function dataCollection(
  row: HopRow,
  msg: ClusterWorkMessage,
  seen: DataCollectionSeen,
  checkDelayMs: number,
  now: Date,
):
  | { ok: { workspace: LogAnalyticsWorkspace; ruleId: string; associationWritten: boolean } }
  | { decision: Decision } {
  if ('ok' in seen) return seen;
  if ('refused' in seen)
    return {
      decision: monitorAttemptFailed(row, msg, { ...seen.refused, then: 'final' }, checkDelayMs, now),
    };
  const a = armReaction('monitorDataCollection', seen.failure);
  if (a.reaction === 'requeue') return { decision: resendMonitor(msg, a.reason, a.delayMs) };
  return {
    decision: monitorAttemptFailed(
      row,
      msg,
      { reason: a.reason, message: a.message, then: 'final' },
      checkDelayMs,
      now,
    ),
  };
}

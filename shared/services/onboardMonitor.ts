/**
 * Queue `monitor-steps`: Azure Monitor onboarding of one cluster after its OSM install or upgrade
 * succeeded (row Succeeded, `monitor: 'Pending'`). Idempotent, one message = one step:
 * - OpenShift is refused for good with `MonitorUnsupportedDistribution` (monitorExtension.ts);
 * - without `operationId` (ensure): first the workspace, data collection rule and association
 *   (ensureDataCollection.ts); then the extension already right -> Succeeded; busy with our PUT (an intent
 *   on the row) -> poll it through the extension; busy otherwise -> wait; else write the intent
 *   (`monitor: 'InProgress'`, attempts + 1), PUT once, record the id, and re-send itself as a check;
 * - with `operationId` (check): poll the operation until Succeeded, Failed or past the deadline; on
 *   Succeeded the rule and association are checked again, so `MonitorInstalled` means all three are in place.
 * Failures (failed or stuck operation, ARM errors on the PUT) are retried with exponential backoff up to
 * MAX_MONITOR_ATTEMPTS PUTs, then `monitor: 'Failed'` with the reason in `monitorProgress`. The OSM state
 * (`state`, `reason`, `message`, `operation`) is never touched: the OSM change is not rolled back.
 * The monitor's operation lives in `monitorProgress.operation`, apart from OSM's `operation`.
 */
import { MONITOR_EXTENSION_NAME } from '../domain/cluster.js';
import { ConcurrencyError } from '../domain/errors.js';
import type { ClusterWorkMessage, OperationRecord } from '../domain/records.js';
import { QUEUES } from '../domain/records.js';
import { armReaction, classifyArmFailure } from '../domain/armFailure.js';
import { ensureDataCollection } from './ensureDataCollection.js';
import {
  desiredMonitorExtension,
  monitorExtensionSatisfies,
  monitorUnsupportedReason,
} from '../domain/monitorExtension.js';
import type { MonitorStep } from './monitorOutcome.js';
import { monitorAttemptFailed, monitorSucceeded, progressOf } from './monitorOutcome.js';
import type { Delivery } from './recordLastEvent.js';
import { recordLastEventIfRedelivered } from './recordLastEvent.js';
import type { ServiceDeps } from './serviceDeps.js';
import type { StepResult } from './stepResult.js';
import { ignored, requeued } from './stepResult.js';
import { writeClusterRow } from './writeClusterRow.js';

const BUSY = new Set(['creating', 'updating', 'deleting']);

export async function onboardMonitor(
  deps: ServiceDeps,
  msg: ClusterWorkMessage,
  delivery?: Delivery,
): Promise<StepResult> {
  await recordLastEventIfRedelivered(deps, msg, delivery);
  for (let i = 0; i < 3; i++) {
    try {
      return await onboardOnce(deps, msg);
    } catch (e) {
      if (!(e instanceof ConcurrencyError)) throw e;
    }
  }
  await deps.queue.send(QUEUES.monitorSteps, msg, { delayMs: deps.settings.checkDelayMs });
  return requeued('ConcurrentUpdate', deps.settings.checkDelayMs);
}

async function onboardOnce(deps: ServiceDeps, msg: ClusterWorkMessage): Promise<StepResult> {
  const row = await deps.rollouts.getCluster(msg.rolloutId, msg.clusterId);
  if (!row) return ignored('RowNotFound');
  const r = row.value;
  if (r.monitor !== 'Pending' && r.monitor !== 'InProgress') return ignored('MonitorNotPending');
  if (msg.hop !== r.path.length) return ignored('StaleHop');
  const rollout = await deps.rollouts.get(r.rolloutId);
  if (!rollout) return ignored('RolloutNotFound');
  const monitor = rollout.value.policy.monitor;
  const workspace = monitor.logAnalyticsWorkspaceResourceId ?? deps.settings.defaultWorkspaceId;
  const step: MonitorStep = { deps, msg, row, namespaces: monitor.namespaces, workspace: workspace ?? '' };
  if (!workspace)
    return monitorAttemptFailed(step, {
      reason: 'MonitorWorkspaceMissing',
      message: 'no Log Analytics workspace',
      then: 'final',
    });
  const unsupported = monitorUnsupportedReason(r.distribution);
  if (unsupported)
    return monitorAttemptFailed(step, {
      reason: 'MonitorUnsupportedDistribution',
      message: unsupported,
      then: 'final',
    });
  const p = progressOf(r);
  const now = deps.clock.now();
  const late = !!p.operation && now.getTime() > Date.parse(p.operation.deadline);
  const since = p.operation
    ? `${Math.round((now.getTime() - Date.parse(p.operation.startedAt)) / 60_000)} min`
    : '';

  if (msg.operationId) {
    if (p.operation?.operationId !== msg.operationId) return ignored('StaleOperation');
    let s;
    try {
      s = await deps.arm.getOperation(r.clusterId, MONITOR_EXTENSION_NAME, msg.operationId);
    } catch (e) {
      const f = classifyArmFailure(e, deps.settings.checkDelayMs);
      if (!f) throw e;
      const a = armReaction('monitorOperationRead', f);
      if (a.reaction === 'forgotten')
        return resend(deps, { ...msg, operationId: undefined }, 'OperationForgotten', 0);
      if (a.reaction === 'requeue') return resend(deps, msg, a.reason, a.delayMs);
      return monitorAttemptFailed(step, { reason: a.reason, message: a.message, then: 'retry' });
    }
    if (s.status === 'Succeeded') {
      const dc = await ensureDataCollection(step, (reason, delayMs) => resend(deps, msg, reason, delayMs));
      return dc.ok ? monitorSucceeded({ ...step, ruleId: dc.ruleId }) : dc.result;
    }
    if (s.status !== 'InProgress')
      return monitorAttemptFailed(step, {
        reason: s.error?.code ?? `Operation${s.status}`,
        message: s.error?.message ?? s.status,
        then: 'retry',
      });
    if (late)
      return monitorAttemptFailed(step, {
        reason: 'MonitorOperationStuck',
        message: `still in progress after ${since}`,
        then: 'retry',
      });
    return resend(deps, msg, 'MonitorInProgress', deps.settings.checkDelayMs);
  }

  if (p.operation?.operationId)
    return resend(
      deps,
      { ...msg, operationId: p.operation.operationId },
      'CheckResent',
      deps.settings.checkDelayMs,
    );
  const dc = await ensureDataCollection(step, (reason, delayMs) => resend(deps, msg, reason, delayMs));
  if (!dc.ok) return dc.result;
  const want = desiredMonitorExtension(dc.workspace);
  let ext;
  try {
    ext = await deps.arm.getExtension(r.clusterId, MONITOR_EXTENSION_NAME);
  } catch (e) {
    const f = classifyArmFailure(e, deps.settings.checkDelayMs);
    if (!f) throw e;
    const a = armReaction('monitorExtensionRead', f);
    if (a.reaction === 'requeue') return resend(deps, msg, a.reason, a.delayMs);
    const then = a.reaction === 'attemptFailed' ? 'retry' : 'final';
    return monitorAttemptFailed(step, { reason: a.reason, message: a.message, then, minDelayMs: a.delayMs });
  }
  // An extension found without its association was installed incompletely: sent again, with every setting.
  if (!dc.associationWritten && monitorExtensionSatisfies(ext, want))
    return monitorSucceeded({ ...step, ruleId: dc.ruleId });
  if (ext && BUSY.has(ext.provisioningState.toLowerCase())) {
    if (late)
      return monitorAttemptFailed(step, {
        reason: 'MonitorOperationStuck',
        message: `still ${ext.provisioningState} after ${since}`,
        then: 'retry',
      });
    // Ours when the row carries the intent (a crash after the PUT), someone else's otherwise: wait either way.
    return resend(
      deps,
      msg,
      p.operation ? 'MonitorInProgress' : 'OperationInProgress',
      deps.settings.checkDelayMs,
    );
  }

  const operation: OperationRecord = {
    kind: 'put',
    extensionName: MONITOR_EXTENSION_NAME,
    startedAt: now.toISOString(),
    deadline: new Date(now.getTime() + deps.settings.operationDeadlineMs).toISOString(),
  };
  const attempts = p.attempts + 1;
  const message = `installing ${MONITOR_EXTENSION_NAME} (attempt ${attempts}), workspace ${workspace}`;
  const current = await writeClusterRow(deps, row, {
    set: {
      monitor: 'InProgress',
      monitorProgress: { ...p, attempts, operation, reason: 'MonitorInstalling', message },
    },
    event: { action: 'MonitorStarted', result: 'Started', reason: 'MonitorInstalling', message },
  });
  let started;
  try {
    started = await deps.arm.beginPutExtension(r.clusterId, MONITOR_EXTENSION_NAME, want);
  } catch (e) {
    const f = classifyArmFailure(e, deps.settings.checkDelayMs);
    if (!f) throw e;
    const a = armReaction('monitorPut', f);
    const then = a.reaction === 'attemptFailed' ? 'retry' : 'final';
    return monitorAttemptFailed(
      { ...step, row: current },
      { reason: a.reason, message: a.message, then, minDelayMs: a.delayMs },
    );
  }
  deps.log.info('Monitor extension operation started', {
    rolloutId: r.rolloutId,
    clusterId: r.clusterId,
    operationId: started.operationId,
  });
  if (!started.operationId) return resend(deps, msg, 'MonitorStarted', 0);
  const withId = { ...operation, operationId: started.operationId };
  await writeClusterRow(deps, current, {
    set: { monitorProgress: { ...progressOf(current.value), operation: withId } },
    send: [
      {
        queue: QUEUES.monitorSteps,
        message: { ...msg, operationId: started.operationId },
        delayMs: deps.settings.checkDelayMs,
      },
    ],
  });
  return { outcome: 'done', reason: 'MonitorStarted' };
}

async function resend(
  deps: ServiceDeps,
  msg: ClusterWorkMessage,
  reason: string,
  delayMs: number,
): Promise<StepResult> {
  const m: ClusterWorkMessage = { rolloutId: msg.rolloutId, clusterId: msg.clusterId, hop: msg.hop };
  if (msg.operationId) m.operationId = msg.operationId;
  await deps.queue.send(QUEUES.monitorSteps, m, { delayMs });
  return requeued(reason, delayMs);
}

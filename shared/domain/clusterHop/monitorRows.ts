/**
 * The end of a monitor onboarding step, written on the row's `monitor` / `monitorProgress` only (the OSM
 * state is never touched): success (history `MonitorInstalled` with the namespaces to monitor), or a failed
 * attempt, retried with exponential backoff until MAX_MONITOR_ATTEMPTS PUTs were tried, then `Failed`.
 */
import { QUEUES, type ClusterWorkMessage, type MonitorProgress } from '../records.js';
import type { Decision, HopRow } from './hopDecision.js';

export const MAX_MONITOR_ATTEMPTS = 4;
const MAX_BACKOFF_MS = 30 * 60_000;

export function progressOf(r: HopRow): MonitorProgress {
  return r.monitorProgress ?? { attempts: 0 };
}

/** `checkDelayMs * 2^(attempts-1)`, capped: 1x, 2x, 4x ... after the 1st, 2nd, 3rd failed PUT. */
export function monitorBackoffMs(checkDelayMs: number, attempts: number): number {
  return Math.min(checkDelayMs * 2 ** Math.max(attempts - 1, 0), MAX_BACKOFF_MS);
}

/**
 * How one failed attempt ends: `retry` (after the backoff, at least `minDelayMs`) while attempts remain, or
 * `final` (Failed now: retrying cannot help).
 */
export interface MonitorFailure {
  reason: string;
  message: string;
  then: 'retry' | 'final';
  minDelayMs?: number;
}

export function monitorAttemptFailed(
  row: HopRow,
  msg: ClusterWorkMessage,
  failure: MonitorFailure,
  checkDelayMs: number,
  now: Date,
): Decision {
  const { reason, message } = failure;
  const p = progressOf(row);
  if (failure.then === 'final' || p.attempts >= MAX_MONITOR_ATTEMPTS) {
    const why = `${message} (after ${p.attempts} attempt${p.attempts === 1 ? '' : 's'})`;
    return {
      change: {
        set: { monitor: 'Failed', monitorProgress: { attempts: p.attempts, reason, message: why } },
        event: { action: 'MonitorFailed', result: 'Failed', reason, message: why },
      },
      sends: [],
      result: { outcome: 'stalled', reason },
    };
  }
  const delayMs = Math.max(monitorBackoffMs(checkDelayMs, p.attempts), failure.minDelayMs ?? 0);
  const ids = { rolloutId: row.rolloutId, clusterId: row.clusterId, hop: msg.hop };
  return {
    change: {
      set: {
        monitor: 'InProgress',
        monitorProgress: { attempts: p.attempts, reason, message },
        // The lost-message repair counts the row's age from here (hopRows.ts, `lostMessage`).
        retryAt: new Date(now.getTime() + delayMs).toISOString(),
      },
      event: {
        action: 'MonitorAttemptFailed',
        result: 'Failed',
        reason,
        message: `${message}; retry in ${delayMs} ms`,
      },
    },
    sends: [{ queue: QUEUES.monitorSteps, message: ids, delayMs }],
    result: { outcome: 'requeued', reason, delayMs },
  };
}

export function monitorSucceeded(
  row: HopRow,
  facts: { workspace: string; namespaces: readonly string[]; ruleId: string },
): Decision {
  const ns = facts.namespaces.length ? facts.namespaces.join(', ') : '(none listed in the policy)';
  const rule = `; data collection rule ${facts.ruleId} (association ContainerInsightsExtension)`;
  const message =
    `workspace ${facts.workspace}${rule}; namespaces to monitor: ${ns} (monitor_namespaces of ConfigMap ` +
    `container-azm-ms-osmconfig in kube-system)`;
  const reason = 'MonitorInstalled';
  return {
    change: {
      set: {
        monitor: 'Succeeded',
        monitorProgress: {
          attempts: progressOf(row).attempts,
          reason,
          message,
          namespaces: [...facts.namespaces],
        },
      },
      event: { action: reason, result: 'Succeeded', reason, message },
    },
    sends: [],
    markMonitorInstalled: true,
    result: { outcome: 'done', reason },
  };
}

/** The same monitor message again (a check keeps its operation id) after `delayMs`; the row is untouched. */
export function resendMonitor(msg: ClusterWorkMessage, reason: string, delayMs: number): Decision {
  const message: ClusterWorkMessage = { rolloutId: msg.rolloutId, clusterId: msg.clusterId, hop: msg.hop };
  if (msg.operationId) message.operationId = msg.operationId;
  return {
    sends: [{ queue: QUEUES.monitorSteps, message, delayMs }],
    result: { outcome: 'requeued', reason, delayMs },
  };
}

/**
 * The end of a monitor onboarding step, written on the row's `monitor` / `monitorProgress` only (the OSM
 * state is never touched): success (history `MonitorInstalled` with the namespaces to monitor), or a failed
 * attempt, retried with exponential backoff until MAX_MONITOR_ATTEMPTS PUTs were tried, then `Failed`.
 */
import type { ClusterWorkMessage, MonitorProgress, RolloutClusterRecord } from '../domain/records.js';
import { QUEUES } from '../domain/records.js';
import type { ServiceDeps } from './serviceDeps.js';
import type { StepResult } from './stepResult.js';
import type { ClusterRow } from './writeClusterRow.js';
import { writeClusterRow } from './writeClusterRow.js';

export const MAX_MONITOR_ATTEMPTS = 4;
const MAX_BACKOFF_MS = 30 * 60_000;

export interface MonitorStep {
  deps: ServiceDeps;
  msg: ClusterWorkMessage;
  row: ClusterRow;
  workspace: string;
  namespaces: readonly string[];
  /** The data collection rule the cluster's association points at (known once it is in place). */
  ruleId?: string;
}

export function progressOf(r: RolloutClusterRecord): MonitorProgress {
  return r.monitorProgress ?? { attempts: 0 };
}

/** `checkDelayMs * 2^(attempts-1)`, capped: 1x, 2x, 4x ... after the 1st, 2nd, 3rd failed PUT. */
export function monitorBackoffMs(checkDelayMs: number, attempts: number): number {
  return Math.min(checkDelayMs * 2 ** Math.max(attempts - 1, 0), MAX_BACKOFF_MS);
}

export async function monitorSucceeded(step: MonitorStep): Promise<StepResult> {
  const { deps, row } = step;
  const r = row.value;
  const ns = step.namespaces.length ? step.namespaces.join(', ') : '(none listed in the policy)';
  const rule = step.ruleId
    ? `; data collection rule ${step.ruleId} (association ContainerInsightsExtension)`
    : '';
  const message =
    `workspace ${step.workspace}${rule}; namespaces to monitor: ${ns} (monitor_namespaces of ConfigMap ` +
    `container-azm-ms-osmconfig in kube-system)`;
  const p = progressOf(r);
  await writeClusterRow(deps, row, {
    set: {
      monitor: 'Succeeded',
      monitorProgress: {
        attempts: p.attempts,
        reason: 'MonitorInstalled',
        message,
        namespaces: [...step.namespaces],
      },
    },
    event: { action: 'MonitorInstalled', result: 'Succeeded', reason: 'MonitorInstalled', message },
  });
  await markInventory(deps, r.clusterId);
  deps.log.info('Monitor installed', {
    rolloutId: r.rolloutId,
    clusterId: r.clusterId,
    reason: 'MonitorInstalled',
  });
  return { outcome: 'done', reason: 'MonitorInstalled' };
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

/** One failed attempt: retried after a backoff while attempts remain (unless final), else Failed. */
export async function monitorAttemptFailed(step: MonitorStep, failure: MonitorFailure): Promise<StepResult> {
  const { reason, message } = failure;
  const { deps, row, msg } = step;
  const r = row.value;
  const p = progressOf(r);
  const ids = { rolloutId: r.rolloutId, clusterId: r.clusterId };
  if (failure.then === 'final' || p.attempts >= MAX_MONITOR_ATTEMPTS) {
    const why = `${message} (after ${p.attempts} attempt${p.attempts === 1 ? '' : 's'})`;
    await writeClusterRow(deps, row, {
      set: { monitor: 'Failed', monitorProgress: { attempts: p.attempts, reason, message: why } },
      event: { action: 'MonitorFailed', result: 'Failed', reason, message: why },
    });
    deps.log.warn('Monitor onboarding failed', { ...ids, reason });
    return { outcome: 'stalled', reason };
  }
  const delayMs = Math.max(monitorBackoffMs(deps.settings.checkDelayMs, p.attempts), failure.minDelayMs ?? 0);
  await writeClusterRow(deps, row, {
    set: { monitor: 'InProgress', monitorProgress: { attempts: p.attempts, reason, message } },
    event: {
      action: 'MonitorAttemptFailed',
      result: 'Failed',
      reason,
      message: `${message}; retry in ${delayMs} ms`,
    },
    send: [{ queue: QUEUES.monitorSteps, message: { ...ids, hop: msg.hop }, delayMs }],
  });
  deps.log.warn('Monitor attempt failed; retrying', { ...ids, reason, delayMs });
  return { outcome: 'requeued', reason, delayMs };
}

async function markInventory(deps: ServiceDeps, clusterId: string): Promise<void> {
  const inv = await deps.inventory.get(clusterId);
  if (!inv || inv.value.monitorInstalled) return;
  try {
    await deps.inventory.update({ ...inv.value, monitorInstalled: true }, inv.etag);
  } catch {
    // Best effort: the next discovery sweep records it anyway.
  }
}

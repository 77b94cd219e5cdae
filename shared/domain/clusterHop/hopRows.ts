/**
 * The row changes the hop's decisions share (pure builders): fail, end deleted, requeue, leave when not
 * Connected, complete a hop, the protocol's constants, and the lost-message repair's rule.
 */
import type { ClusterInfo } from '../cluster.js';
import { QUEUES, type ClusterWorkMessage, type QueueName } from '../records.js';
import type { Decision, HopRow } from './hopDecision.js';

/** Once an operation has run this long (and at its deadline) a check reads the cluster's connectivity. */
export const OFFLINE_PROBE_AFTER_MS = 5 * 60_000;
/** PUT attempts of one hop (`hopAttempts`) after which a PUT that left no trace fails the hop. */
export const MAX_HOP_ATTEMPTS = 3;
/** An intent younger than this may belong to another delivery about to PUT: wait rather than PUT twice. */
export const INTENT_GRACE_MS = 30_000;
export const BUSY_STATES = new Set(['creating', 'updating', 'deleting']);

/** `Install`, `Upgrade` or `Reconfigure`: the verb of the row's history actions. */
export function hopVerb(row: HopRow): 'Install' | 'Upgrade' | 'Reconfigure' {
  if (row.plannedAction === 'install') return 'Install';
  if (row.plannedAction === 'reconfigure') return 'Reconfigure';
  return 'Upgrade';
}

/** The version the hop starts from (the previous hop's target, or the row's `from`) and its target. */
export function hopVersions(row: HopRow, hop = row.hop): { from: string | null; to: string } {
  const from = hop > 0 ? (row.path[hop - 1] ?? row.from) : row.from;
  return { from, to: row.path[hop] ?? row.to };
}

export const hopIds = (r: { rolloutId: string; clusterId: string; hop: number }): ClusterWorkMessage => ({
  rolloutId: r.rolloutId,
  clusterId: r.clusterId,
  hop: r.hop,
});

/** How often a check of a still-running operation bumps its row: four check delays, at least 10 s. */
export function heartbeatMs(settings: { checkDelayMs: number }): number {
  return Math.max(10_000, 4 * settings.checkDelayMs);
}

/** The row fails with the reason (ARM's code where there is one); the intent is dropped: nothing runs. */
export function failHop(row: HopRow, reason: string, message: string): Decision {
  const { from, to } = hopVersions(row);
  return {
    change: {
      set: { state: 'Failed', reason, message, operation: undefined },
      event: { action: `${hopVerb(row)}Failed`, result: 'Failed', from, to, reason, message },
    },
    sends: [],
    result: { outcome: 'stalled', reason },
  };
}

/** The connected cluster was deleted under the hop: Skipped `ClusterDeleted`, never Failed (no halt). */
export function endDeleted(row: HopRow): Decision {
  const { from, to } = hopVersions(row);
  const message = `the connected cluster ${row.clusterId} was deleted`;
  return {
    change: {
      set: { state: 'Skipped', reason: 'ClusterDeleted', message, operation: undefined },
      event: { action: 'ClusterRemoved', result: 'Skipped', from, to, reason: 'ClusterDeleted', message },
    },
    sends: [],
    result: { outcome: 'stalled', reason: 'ClusterDeleted' },
  };
}

/**
 * The same work again after `delayMs`, the reason noted on the row, state unchanged. The message goes
 * first (a crash after it loses the note, never the work); the note bumps `updatedAt`, which the lost-message
 * repair reads (a row waiting on a busy lease must not look abandoned).
 */
export function requeueWork(
  queue: QueueName,
  message: ClusterWorkMessage,
  why: { reason: string; message?: string; delayMs: number },
): Decision {
  return {
    change: { set: { reason: why.reason, message: why.message }, note: true },
    sends: [{ queue, message, delayMs: why.delayMs }],
    result: { outcome: 'requeued', reason: why.reason, delayMs: why.delayMs },
  };
}

/**
 * Offline or Connecting (and any status ARM may add): Deferred, picked up again when Connected. Expired:
 * Skipped with the way out. An operation the row carries is kept, so a re-dispatch checks it, not re-PUTs.
 */
export function leaveIfNotConnected(row: HopRow, cluster: ClusterInfo): Decision | undefined {
  const status = cluster.connectivity;
  if (status === 'Connected') return undefined;
  const { from, to } = hopVersions(row);
  const verb = hopVerb(row);
  if (status === 'Expired') {
    const message =
      'the cluster is Expired (its managed identity certificate lapsed): reconnect it with ' +
      '`az connectedk8s connect` (which deletes its extensions), then start a new rollout';
    const reason = 'ClusterExpired';
    return {
      change: {
        set: { state: 'Skipped', reason, message },
        event: { action: `${verb}Skipped`, result: 'Skipped', from, to, reason, message },
      },
      sends: [],
      result: { outcome: 'stalled', reason },
    };
  }
  const message = `the cluster is ${status}: deferred until it is Connected again`;
  const reason = 'ClusterOffline';
  return {
    change: {
      set: { state: 'Deferred', reason, message },
      event: { action: `${verb}Deferred`, result: 'Recorded', from, to, reason, message },
    },
    sends: [],
    result: { outcome: 'stalled', reason },
  };
}

/**
 * A hop's operation is confirmed: `lastAppliedVersion` = target, the operation cleared, `hop + 1` (its
 * `hopAttempts` from 0). More hops: InProgress `HopSucceeded` and the next step sent at once. Last hop:
 * Succeeded (frees the lease and the slot) and, when the snapshot monitors, Azure Monitor queued.
 */
export function completeHop(row: HopRow, monitored: boolean): Decision {
  const { from, to } = hopVersions(row);
  const verb = hopVerb(row);
  const next = row.hop + 1;
  const ids = { rolloutId: row.rolloutId, clusterId: row.clusterId };
  const common = { lastAppliedVersion: to, operation: undefined, hop: next, hopAttempts: 0 };
  if (next < row.path.length) {
    const message = `hop ${next} of ${row.path.length} done (${from ?? '(none)'} -> ${to}); next: ${row.path[next]}`;
    const reason = 'HopSucceeded';
    return {
      change: {
        set: { ...common, reason, message },
        event: { action: `${verb}HopSucceeded`, result: 'Succeeded', from, to, reason, message },
      },
      sends: [{ queue: QUEUES.clusterSteps, message: { ...ids, hop: next } }],
      result: { outcome: 'done', reason },
    };
  }
  const reason = `${verb}Succeeded`;
  const message =
    `${row.from ?? '(none)'} -> ${to}` + (row.path.length > 1 ? ` in ${row.path.length} hops` : '');
  return {
    change: {
      set: { ...common, state: 'Succeeded', reason, message, ...(monitored ? { monitor: 'Pending' } : {}) },
      event: { action: reason, result: 'Succeeded', from: row.from, to, reason, message },
    },
    sends: monitored ? [{ queue: QUEUES.monitorSteps, message: { ...ids, hop: row.path.length } }] : [],
    result: { outcome: 'done', reason },
  };
}

/**
 * The lost-message repair's rule for one row (a crash between a row write and its message): InProgress
 * without an operation and older than 2 x checkDelayMs + 60 s -> the step again; with an operation and
 * older than 2 x heartbeat + checkDelayMs -> a check again; Succeeded with its Azure Monitor onboarding
 * Pending or InProgress and older than 2 x heartbeat + checkDelayMs -> the monitor step again. A row parked
 * until `retryAt` counts from then.
 */
export function lostMessage(row: HopRow, now: Date, settings: { checkDelayMs: number }): Decision['sends'] {
  const age = now.getTime() - Math.max(Date.parse(row.updatedAt), row.retryAt ? Date.parse(row.retryAt) : 0);
  if (row.state === 'Succeeded' && (row.monitor === 'Pending' || row.monitor === 'InProgress')) {
    // Azure Monitor onboarding whose message is gone: its step again (a check, with the operation's id).
    if (age <= 2 * heartbeatMs(settings) + settings.checkDelayMs) return [];
    const message: ClusterWorkMessage = { ...hopIds(row), hop: row.path.length };
    const id = row.monitorProgress?.operation?.operationId;
    if (id !== undefined) message.operationId = id;
    return [{ queue: QUEUES.monitorSteps, message }];
  }
  if (row.state !== 'InProgress') return [];
  const message = hopIds(row);
  if (!row.operation)
    return age > 2 * settings.checkDelayMs + 60_000 ? [{ queue: QUEUES.clusterSteps, message }] : [];
  if (age <= 2 * heartbeatMs(settings) + settings.checkDelayMs) return [];
  if (row.operation.operationId !== undefined) message.operationId = row.operation.operationId;
  return [{ queue: QUEUES.clusterChecks, message }];
}

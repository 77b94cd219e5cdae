/**
 * A hop's operation is confirmed (operation Succeeded and ARM's extension at the hop's target):
 * `lastAppliedVersion` = target, the operation cleared, `hop + 1` (its `hopAttempts` from 0). More hops:
 * the row stays InProgress (`HopSucceeded`) and the next hop's step is sent at once (the lease is kept).
 * Last hop: Succeeded (`InstallSucceeded` / `UpgradeSucceeded` / `ReconfigureSucceeded`), which frees the
 * lease and the slot, and when the policy snapshot monitors the cluster, Azure Monitor onboarding is
 * queued (`monitor: 'Pending'`).
 */
import { QUEUES } from '../domain/records.js';
import type { ServiceDeps } from './serviceDeps.js';
import type { StepResult } from './stepResult.js';
import type { ClusterRow, RowChange } from './writeClusterRow.js';
import { hopVerb, hopVersions, writeClusterRow } from './writeClusterRow.js';

export async function completeHop(
  deps: ServiceDeps,
  row: ClusterRow,
  monitored: boolean,
): Promise<StepResult> {
  const r = row.value;
  const { from, to } = hopVersions(r);
  const verb = hopVerb(r);
  const next = r.hop + 1;
  const ids = { rolloutId: r.rolloutId, clusterId: r.clusterId };
  const common = { lastAppliedVersion: to, operation: undefined, hop: next, hopAttempts: 0 };
  const elapsed = r.operation ? deps.clock.now().getTime() - Date.parse(r.operation.startedAt) : undefined;
  let change: RowChange;
  if (next < r.path.length) {
    const message = `hop ${next} of ${r.path.length} done (${from ?? '(none)'} -> ${to}); next: ${r.path[next]}`;
    change = {
      set: { ...common, reason: 'HopSucceeded', message },
      event: {
        action: `${verb}HopSucceeded`,
        result: 'Succeeded',
        from,
        to,
        reason: 'HopSucceeded',
        message,
      },
      send: [{ queue: QUEUES.clusterSteps, message: { ...ids, hop: next } }],
    };
  } else {
    const reason = `${verb}Succeeded`;
    const message = `${r.from ?? '(none)'} -> ${to}` + (r.path.length > 1 ? ` in ${r.path.length} hops` : '');
    change = {
      set: {
        ...common,
        state: 'Succeeded',
        reason,
        message,
        ...(monitored ? { monitor: 'Pending' as const } : {}),
      },
      event: { action: reason, result: 'Succeeded', from: r.from, to, reason, message },
      send: monitored ? [{ queue: QUEUES.monitorSteps, message: { ...ids, hop: r.path.length } }] : [],
    };
  }
  await writeClusterRow(deps, row, change);
  deps.log.info('Hop succeeded', { ...ids, hop: r.hop, reason: change.set.reason, durationMs: elapsed });
  return { outcome: 'done', reason: change.set.reason ?? 'HopSucceeded' };
}

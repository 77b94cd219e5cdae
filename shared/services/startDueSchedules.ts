/**
 * Scheduled rollouts. A policy with a `schedule` is due when the next occurrence after its last scheduled
 * run (or after its last edit, for a policy that never ran) has passed. The occurrence is claimed by
 * writing `lastScheduledRunAt = now` with the policy's ETag: of several instances running the timer at
 * once exactly one wins, and missed occurrences (the app was down) collapse into one run. Only then is a
 * rollout started, and only when the plan over the swept fleet has work and no fleet-wide rollout of the
 * policy is active; otherwise the occurrence is consumed and the log says why.
 */
import type { ClusterInfo } from '../domain/cluster.js';
import { ConcurrencyError } from '../domain/errors.js';
import { planPolicy } from '../domain/planner.js';
import { nextScheduledRun } from '../domain/ncrontab.js';
import type { StoredPolicy, Versioned } from '../domain/records.js';
import { blocksFleetRollout, createRollout } from './createRollout.js';
import type { ServiceDeps } from './serviceDeps.js';

export type ScheduleOutcome =
  | { policy: string; outcome: 'started'; rolloutId: string }
  | { policy: string; outcome: 'claimedByOther' | 'noWork' | 'rolloutActive' | 'failed'; reason?: string };

export async function startDueSchedules(
  deps: ServiceDeps,
  fleet: readonly ClusterInfo[],
): Promise<ScheduleOutcome[]> {
  const now = deps.clock.now();
  const due: Versioned<StoredPolicy>[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await deps.policies.list({ top: 1000, continuationToken });
    for (const p of page.items) {
      const schedule = p.value.policy.schedule;
      if (!schedule) continue;
      const after = new Date(p.value.lastScheduledRunAt ?? p.value.updatedAt);
      const next = nextScheduledRun(schedule, after);
      if (next && next.getTime() <= now.getTime()) due.push(p);
    }
    continuationToken = page.continuationToken;
  } while (continuationToken);

  const outcomes: ScheduleOutcome[] = [];
  for (const p of due) {
    const policy = p.value.policy.name;
    try {
      outcomes.push(await runOne(deps, p, fleet, now));
    } catch (err) {
      deps.log.error('scheduled rollout failed', { policy, error: String(err) });
      outcomes.push({ policy, outcome: 'failed', reason: String(err) });
    }
  }
  return outcomes;
}

async function runOne(
  deps: ServiceDeps,
  stored: Versioned<StoredPolicy>,
  fleet: readonly ClusterInfo[],
  now: Date,
): Promise<ScheduleOutcome> {
  const policy = stored.value.policy;
  try {
    await deps.policies.put({ ...stored.value, lastScheduledRunAt: now.toISOString() }, stored.etag);
  } catch (err) {
    if (!(err instanceof ConcurrencyError)) throw err;
    deps.log.info('scheduled run claimed by another instance', { policy: policy.name });
    return { policy: policy.name, outcome: 'claimedByOther' };
  }
  const active = (await deps.rollouts.listActive()).find((r) => blocksFleetRollout(r.value, policy.name));
  if (active) {
    deps.log.info('scheduled run skipped: rollout active', {
      policy: policy.name,
      rolloutId: active.value.rollout.id,
    });
    return { policy: policy.name, outcome: 'rolloutActive', reason: active.value.rollout.id };
  }
  const { summary } = planPolicy(policy, fleet, { catalog: deps.catalog, now });
  if (summary.install + summary.upgrade + summary.reconfigure === 0) {
    deps.log.info('scheduled run skipped: nothing to do', {
      policy: policy.name,
      clusters: summary.clusters,
    });
    return { policy: policy.name, outcome: 'noWork' };
  }
  const record = await createRollout(deps, {
    policyName: policy.name,
    trigger: 'schedule',
    actor: 'timer',
    clusters: fleet,
  });
  deps.log.info('scheduled rollout started', { policy: policy.name, rolloutId: record.rollout.id });
  return { policy: policy.name, outcome: 'started', rolloutId: record.rollout.id };
}

/**
 * A policy's `correctDrift`: when a sweep reports a new drift of its settings, the timer starts a rollout of
 * the policy (trigger `drift`), which re-applies the policy through its waves, failure threshold, leases and
 * maintenance window like any other rollout: never a bare PUT. While a rollout of the policy is active the
 * correction is deferred (logged); that rollout, or the next drift reported, takes it up.
 */
import { ConflictError } from '../domain/errors.js';
import { createRollout } from './createRollout.js';
import type { ClusterInfo } from '../domain/cluster.js';
import type { ServiceDeps } from './serviceDeps.js';

/** Starts one correcting rollout per policy in `policies` that asks for it; returns the ids started. */
export async function correctDrift(
  deps: ServiceDeps,
  policies: readonly string[],
  fleet: readonly ClusterInfo[],
): Promise<string[]> {
  const started: string[] = [];
  for (const name of policies) {
    const stored = await deps.policies.get(name);
    if (!stored?.value.policy.correctDrift) continue;
    try {
      const r = await createRollout(deps, {
        policyName: name,
        trigger: 'drift',
        actor: 'timer',
        clusters: fleet,
      });
      deps.log.info('drift correction started', { policy: name, rolloutId: r.rollout.id });
      started.push(r.rollout.id);
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      deps.log.info('drift correction deferred', { policy: name, reason: err.code });
    }
  }
  return started;
}

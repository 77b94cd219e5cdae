/**
 * A rollout's policy snapshot, read once per process: the snapshot is written when the rollout is created
 * and never changes (a policy edit makes a new rollout), so the check and monitor workers, which need only
 * the snapshot, skip the rollout read on every message after the first (docs/performance.md, issue 15).
 * The step worker still reads the rollout, for its state (a cancel must stop steps at once).
 */
import type { RolloutStore } from '../domain/ports.js';
import type { Policy } from '../domain/policy.js';
import type { ServiceDeps } from './serviceDeps.js';

const KEPT = 1_000;
const snapshots = new WeakMap<RolloutStore, Map<string, Policy>>();

/** The rollout's policy snapshot, or null when the rollout does not exist. */
export async function rolloutPolicy(
  deps: Pick<ServiceDeps, 'rollouts'>,
  rolloutId: string,
): Promise<Policy | null> {
  let known = snapshots.get(deps.rollouts);
  if (!known) snapshots.set(deps.rollouts, (known = new Map()));
  const hit = known.get(rolloutId);
  if (hit) return hit;
  const stored = await deps.rollouts.get(rolloutId);
  if (!stored) return null;
  known.set(rolloutId, stored.value.policy);
  if (known.size > KEPT) known.delete(known.keys().next().value as string);
  return stored.value.policy;
}

/**
 * When the per-policy rollout lock (`PolicyLock`) still holds. It is never released by a write of its own:
 * it holds while its holder rollout is active, and is free once that rollout reached a terminal state
 * (Succeeded, Failed, Cancelled), so a rollout's end frees its policy without a second write that a crash
 * could lose. A lock whose rollout does not exist is a creation still in progress (the lock is taken before
 * the sweep and the rollout row is written last), or one that crashed: it holds for `CREATION_GRACE_MS`
 * after it was taken, then anyone may take it over.
 */
import type { PolicyLock, RolloutRecord } from './records.js';
import { ACTIVE_ROLLOUT_STATES } from './rolloutState.js';

/** Longer than any rollout creation (a 10,000-cluster sweep and write took minutes on a slow store). */
export const CREATION_GRACE_MS = 15 * 60_000;

export function policyLockHeld(lock: PolicyLock, holder: RolloutRecord | undefined, now: Date): boolean {
  if (holder) return ACTIVE_ROLLOUT_STATES.includes(holder.rollout.state);
  const at = Date.parse(lock.at);
  return Number.isFinite(at) && now.getTime() - at < CREATION_GRACE_MS;
}

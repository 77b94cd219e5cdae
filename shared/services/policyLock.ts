/**
 * Takes the per-policy rollout lock (shared/domain/policyLock.ts) so that exactly one fleet-wide rollout of
 * a policy is created, however many requests race: a conditional insert of the lock row, and, when a row
 * exists, an ETag-conditional take-over only if its holder is over. Losers answer 409 before they write
 * anything (no rollout record, no rows, no history), so a burst of POSTs leaves no leftovers.
 */
import { ConcurrencyError, ConflictError } from '../domain/errors.js';
import { policyLockHeld } from '../domain/policyLock.js';
import type { PolicyLock } from '../domain/records.js';
import type { ServiceDeps } from './serviceDeps.js';

const TRIES = 4;

export interface HeldPolicyLock {
  /** Frees the lock again (a creation that failed before its rollout existed); a lost release is harmless. */
  release(): Promise<void>;
}

export async function takePolicyLock(
  deps: ServiceDeps,
  policy: string,
  rolloutId: string,
): Promise<HeldPolicyLock> {
  for (let i = 0; i < TRIES; i++) {
    const lock: PolicyLock = { policy, rolloutId, at: deps.clock.now().toISOString() };
    const current = await deps.rollouts.getPolicyLock(policy);
    try {
      if (!current) return held(deps, policy, await deps.rollouts.createPolicyLock(lock));
      const holder = (await deps.rollouts.get(current.value.rolloutId))?.value;
      if (policyLockHeld(current.value, holder, deps.clock.now())) {
        const what = holder ? `is ${holder.rollout.state}` : 'is being created';
        throw new ConflictError(
          `rollout ${current.value.rolloutId} of policy ${policy} ${what}: cancel it or wait for it to finish`,
          'RolloutAlreadyRunning',
        );
      }
      return held(deps, policy, await deps.rollouts.updatePolicyLock(lock, current.etag));
    } catch (err) {
      // Someone else inserted or took it over between our read and our write: read again.
      const raced =
        err instanceof ConcurrencyError ||
        (err instanceof ConflictError && err.code !== 'RolloutAlreadyRunning');
      if (!raced) throw err;
    }
  }
  throw new ConflictError(`policy ${policy} is being rolled out by another request`, 'RolloutAlreadyRunning');
}

function held(deps: ServiceDeps, policy: string, etag: string): HeldPolicyLock {
  return {
    release: async () => {
      try {
        await deps.rollouts.deletePolicyLock(policy, etag);
      } catch (err) {
        deps.log.warn('policy lock not released', { policy, error: String(err) });
      }
    },
  };
}

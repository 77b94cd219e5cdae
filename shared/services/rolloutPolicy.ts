/**
 * What the cluster workers need of their rollout, read once per process: the policy snapshot and the
 * reference to its protected settings are written when the rollout is created and never change (a policy
 * edit makes a new rollout), so they are kept for good. The rollout's state changes; the step worker reads
 * it only to stop a hop the rollout's cancel caught before its PUT, and takes a copy up to
 * `ROLLOUT_STATE_MAX_AGE_MS` old (docs/performance.md, issue 15: one rollout read per step was a tenth of
 * the hop's Table requests). A cancel therefore stops steps that begin up to that long after it; the API's
 * contract is that InProgress clusters finish (docs/api.md), and a Cancelled row never had a PUT.
 */
import type { RolloutStore } from '../domain/ports.js';
import type { Policy } from '../domain/policy.js';
import type { ProtectedSettingsRef } from '../domain/records.js';
import type { RolloutState } from '../domain/rolloutState.js';
import type { ServiceDeps } from './serviceDeps.js';

export const ROLLOUT_STATE_MAX_AGE_MS = 1_000;

export interface RolloutSnapshot {
  policy: Policy;
  protectedSettings?: ProtectedSettingsRef;
  state: RolloutState;
  /** When `state` was read (ms, the deps' clock). */
  stateReadAt: number;
}

const KEPT = 1_000;
const snapshots = new WeakMap<RolloutStore, Map<string, RolloutSnapshot>>();

/**
 * The rollout's snapshot with a state at most `stateMaxAgeMs` old (a Cancelled state is final and kept), or
 * null when the rollout does not exist.
 */
export async function rolloutSnapshot(
  deps: Pick<ServiceDeps, 'rollouts' | 'clock'>,
  rolloutId: string,
  stateMaxAgeMs = Number.POSITIVE_INFINITY,
): Promise<RolloutSnapshot | null> {
  let known = snapshots.get(deps.rollouts);
  if (!known) snapshots.set(deps.rollouts, (known = new Map()));
  const now = deps.clock.now().getTime();
  const hit = known.get(rolloutId);
  if (hit && (hit.state === 'Cancelled' || now - hit.stateReadAt <= stateMaxAgeMs)) return hit;
  const stored = await deps.rollouts.get(rolloutId);
  if (!stored) return null;
  const { policy, protectedSettings, rollout } = stored.value;
  const snapshot: RolloutSnapshot = {
    policy,
    ...(protectedSettings ? { protectedSettings } : {}),
    state: rollout.state,
    stateReadAt: now,
  };
  known.delete(rolloutId);
  known.set(rolloutId, snapshot);
  if (known.size > KEPT) known.delete(known.keys().next().value as string);
  return snapshot;
}

/** The rollout's policy snapshot, or null when the rollout does not exist. */
export async function rolloutPolicy(
  deps: Pick<ServiceDeps, 'rollouts' | 'clock'>,
  rolloutId: string,
): Promise<Policy | null> {
  return (await rolloutSnapshot(deps, rolloutId))?.policy ?? null;
}

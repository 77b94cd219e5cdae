/**
 * The `onboarding` mark on a cluster's inventory row (shared/domain/connectWatch.ts): read it, and change it
 * with an ETag-conditional write that is retried on a lost race (the lease and the sweep write the same row).
 */
import type { OnboardingMark } from '../domain/connectWatch.js';
import { ConcurrencyError, NotFoundError } from '../domain/errors.js';
import type { InventoryRecord, Versioned } from '../domain/records.js';
import type { ServiceDeps } from './serviceDeps.js';

const TRIES = 4;

/**
 * Applies `change` to the row's mark (return undefined to clear it, `false` to leave the row alone) and
 * writes it with the row's ETag; re-reads and re-applies after a lost race. Returns whether it wrote.
 */
export async function updateOnboardingMark(
  deps: ServiceDeps,
  clusterId: string,
  change: (mark: OnboardingMark | undefined, row: InventoryRecord) => OnboardingMark | undefined | false,
): Promise<boolean> {
  for (let i = 0; i < TRIES; i++) {
    const row = await deps.inventory.get(clusterId.toLowerCase());
    if (!row) return false;
    const next = change(row.value.onboarding, row.value);
    if (next === false) return false;
    try {
      await deps.inventory.update(withMark(row, next), row.etag);
      return true;
    } catch (e) {
      if (!(e instanceof ConcurrencyError || e instanceof NotFoundError)) throw e;
    }
  }
  deps.log.warn('onboarding mark not written (contended)', { clusterId });
  return false;
}

function withMark(row: Versioned<InventoryRecord>, mark: OnboardingMark | undefined): InventoryRecord {
  const { onboarding: _old, ...rest } = row.value;
  return mark ? { ...rest, onboarding: mark } : rest;
}

/** Marks the cluster's onboarding decided (a rollout started, or why not). */
export function markDecided(
  deps: ServiceDeps,
  clusterId: string,
  reason: string,
  rolloutId?: string,
): Promise<boolean> {
  const at = deps.clock.now().toISOString();
  return updateOnboardingMark(deps, clusterId, () => ({
    state: 'Decided',
    reason,
    ...(rolloutId ? { rolloutId } : {}),
    at,
  }));
}

/**
 * The timer (every minute): one Resource Graph sweep; the inventory refreshed from it (discovery fields
 * only, the store keeps leases); drift of policy settings reported (detectDrift); new clusters an event or a
 * connect-watch missed onboarded (`onboardMissedClusters`); every active rollout reconciled with the sweep's
 * connectivity; then the schedules that are due; then stored plans past their hour are purged. A failure in one rollout, the onboarding or one schedule is
 * logged and the others go on.
 */
import { correctDrift } from './correctDrift.js';
import { detectDrift } from './detectDrift.js';
import { onboardMissedClusters, type MissedOnboarding } from './onboardMissedClusters.js';
import { toInventoryRecord } from './toInventoryRecord.js';
import type { ReconcileSummary } from './reconcileRollout.js';
import { reconcileRollout } from './reconcileRollout.js';
import { repairFinishedMonitors } from './repairLostMessages.js';
import type { ScheduleOutcome } from './startDueSchedules.js';
import { startDueSchedules } from './startDueSchedules.js';
import type { ServiceDeps } from './serviceDeps.js';
import { purgeExpiredPlans } from './storedPlans.js';
import { normalizeId } from '../domain/armId.js';

export interface FleetReconcileSummary {
  clusters: number;
  rollouts: ReconcileSummary[];
  /** Rollouts whose reconcile threw (logged), by id. */
  failed: string[];
  schedules: ScheduleOutcome[];
  /** Clusters the safety net considered this pass (onboarded or declined). */
  onboarded: MissedOnboarding[];
  /** Expired stored plans deleted (storedPlans.ts). */
  plansPurged: number;
  /** Lost monitor messages of ended rollouts sent again (repairLostMessages.ts). */
  monitorsRepaired: number;
}

export async function reconcileFleet(deps: ServiceDeps): Promise<FleetReconcileSummary> {
  const started = deps.clock.now();
  const fleet = await deps.fleet.sweep();
  await deps.inventory.upsertMany(fleet.map((c) => toInventoryRecord(c, started)));
  const connectivity = new Map(fleet.map((c) => [normalizeId(c.id), c.connectivity]));

  const summary: FleetReconcileSummary = {
    clusters: fleet.length,
    rollouts: [],
    failed: [],
    schedules: [],
    onboarded: [],
    plansPurged: 0,
    monitorsRepaired: 0,
  };
  try {
    summary.onboarded = await onboardMissedClusters(deps, fleet);
  } catch (err) {
    deps.log.error('missed clusters not onboarded', { error: String(err) });
  }
  for (const { value } of await deps.rollouts.listActive()) {
    const rolloutId = value.rollout.id;
    try {
      summary.rollouts.push(await reconcileRollout(deps, rolloutId, connectivity));
    } catch (err) {
      deps.log.error('rollout reconcile failed', { rolloutId, error: String(err) });
      summary.failed.push(rolloutId);
    }
  }
  try {
    const drift = await detectDrift(deps, fleet);
    await correctDrift(deps, drift.policies, fleet);
  } catch (err) {
    deps.log.error('drift not evaluated', { error: String(err) });
  }
  try {
    summary.schedules = await startDueSchedules(deps, fleet);
  } catch (err) {
    deps.log.error('schedules not evaluated', { error: String(err) });
  }
  try {
    summary.monitorsRepaired = await repairFinishedMonitors(deps);
  } catch (err) {
    deps.log.error('monitor steps of ended rollouts not repaired', { error: String(err) });
  }
  summary.plansPurged = await purgeExpiredPlans(deps);
  deps.log.info('fleet reconciled', {
    clusters: fleet.length,
    rollouts: summary.rollouts.length,
    failed: summary.failed.length,
    durationMs: deps.clock.now().getTime() - started.getTime(),
  });
  return summary;
}

/**
 * Operator commands on a rollout (pause, resume, cancel, retry-failed, approve): the domain decides
 * (`rolloutCommands.ts`, which throws the 409s), this applies it with ETag-conditional writes, records
 * history for the clusters it changed, then reconciles so the effect is immediate.
 *
 * Write order, so that a reconcile running in between never sees a half-applied command:
 * - pause, resume, cancel: the rollout first (a lost ETag race re-reads and decides again); cancel then
 *   moves the not-yet-dispatched rows to Cancelled (a row a reconcile dispatched meanwhile finishes).
 * - retry-failed, approve: the rows first, then the rollout (re-read and re-decided on a lost race), so a
 *   Halted rollout is not re-opened while its failed rows still count against the threshold.
 */
import { ConcurrencyError, FleetError, NotFoundError } from '../domain/errors.js';
import type { Rollout, RolloutClusterView } from '../domain/rolloutState.js';
import { loadRolloutClusters } from './loadRolloutClusters.js';
import { reconcileRollout } from './reconcileRollout.js';
import type { RolloutCommandArgs, RolloutCommandName } from './rolloutCommandRules.js';
import { commandDecider, commandRowRule } from './rolloutCommandRules.js';
import type { RolloutView } from './rolloutViews.js';
import { getRolloutView } from './rolloutViews.js';
import type { ServiceDeps } from './serviceDeps.js';
import { writeClusterRowsWithEvent } from './writeClusterRows.js';

export type { RolloutCommandArgs, RolloutCommandName } from './rolloutCommandRules.js';
export { ROLLOUT_COMMANDS } from './rolloutCommandRules.js';

const MAX_ATTEMPTS = 5;

export async function rolloutCommand(
  deps: ServiceDeps,
  rolloutId: string,
  command: RolloutCommandName,
  args: RolloutCommandArgs = {},
  actor: string,
): Promise<RolloutView> {
  const decide = commandDecider(command, args);
  const rule = commandRowRule(command, actor);
  const rowsFirst = command === 'retry-failed' || command === 'approve';
  for (let attempt = 1; ; attempt++) {
    const stored = await deps.rollouts.get(rolloutId);
    if (!stored) throw new NotFoundError(`rollout ${rolloutId} not found`, 'RolloutNotFound');
    const rows = await loadRolloutClusters(deps, rolloutId);
    const views = rows.map(({ value: c }): RolloutClusterView => ({
      id: c.clusterId,
      wave: c.wave,
      state: c.state,
      online: true,
      approved: c.approved,
    }));
    const now = deps.clock.now();
    const result = decide(stored.value.rollout, views, now);
    const changedIds = new Set(result.clusters.map((c) => c.id));
    const writeRows = async () => {
      if (!rule || changedIds.size === 0) return;
      const at = now.toISOString();
      await writeClusterRowsWithEvent(
        deps,
        rows.filter((r) => changedIds.has(r.value.clusterId)),
        (r) => (rule.from.includes(r.state) ? rule.change(r, at) : undefined),
        (r) => ({ at, actor, action: rule.history.action, result: rule.history.result, reason: r.reason }),
      );
    };

    if (rowsFirst) {
      await writeRows();
      await saveRollout(deps, rolloutId, (r) => decide(r, views, now).rollout, result.rollout, stored.etag);
    } else {
      const unchanged = JSON.stringify(result.rollout) === JSON.stringify(stored.value.rollout);
      if (!unchanged) {
        try {
          await deps.rollouts.update({ ...stored.value, rollout: result.rollout }, stored.etag);
        } catch (err) {
          if (err instanceof ConcurrencyError && attempt < MAX_ATTEMPTS) continue;
          throw err;
        }
      }
      await writeRows();
    }
    deps.log.info('rollout command applied', {
      rolloutId,
      command,
      actor,
      state: result.rollout.state,
      clusters: changedIds.size,
    });
    break;
  }
  try {
    await reconcileRollout(deps, rolloutId);
  } catch (err) {
    deps.log.error('reconcile after command failed', { rolloutId, command, error: String(err) });
  }
  return getRolloutView(deps, rolloutId);
}

/** Writes the rollout; on a lost ETag race re-reads it and applies `redo` to the fresh one. */
async function saveRollout(
  deps: ServiceDeps,
  rolloutId: string,
  redo: (r: Rollout) => Rollout,
  first: Rollout,
  firstEtag: string,
): Promise<void> {
  let next = first;
  let etag = firstEtag;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const stored = await deps.rollouts.get(rolloutId);
    if (!stored) return;
    if (attempt > 1) {
      try {
        next = redo(stored.value.rollout);
      } catch (err) {
        // The rollout moved on (cancelled meanwhile, say): the rows are written, nothing more to do.
        if (err instanceof FleetError) return;
        throw err;
      }
      etag = stored.etag;
    }
    if (JSON.stringify(next) === JSON.stringify(stored.value.rollout)) return;
    try {
      await deps.rollouts.update({ ...stored.value, rollout: next }, etag);
      return;
    } catch (err) {
      if (!(err instanceof ConcurrencyError) || attempt === MAX_ATTEMPTS) throw err;
    }
  }
}

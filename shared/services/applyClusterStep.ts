/**
 * Queue `cluster-steps`, carried out: read the row (or, on a first delivery, take the copy the dispatch
 * left in this process, rowCopies.ts), observe what the decision asks for (the rollout, as a
 * copy up to a second old (rolloutPolicy.ts); the cluster with its extensions; the cluster lease), decide
 * (`decideStep`, shared/domain/clusterHop), write, send, and make the decision's one PUT, whose answer is
 * observed and decided again. Every rule (what a stale message is, when to wait, what ARM's failure means)
 * is in the decision; nothing is decided here. A ConcurrencyError (someone else wrote the row) re-reads and
 * decides again.
 */
import { classifyArmFailure } from '../domain/armFailure.js';
import {
  decideStep,
  type PutAnswer,
  type PutCall,
  type StepObservation,
} from '../domain/clusterHop/decideStep.js';
import type { HopContext, Read } from '../domain/clusterHop/hopDecision.js';
import { NotFoundError, TransientError } from '../domain/errors.js';
import type { ClusterWorkMessage } from '../domain/records.js';
import { QUEUES } from '../domain/records.js';
import { takeClusterLease } from './clusterLease.js';
import { revealProtectedSettings } from './protectedSettings.js';
import { ROLLOUT_STATE_MAX_AGE_MS, rolloutSnapshot, type RolloutSnapshot } from './rolloutPolicy.js';
import type { Delivery } from './recordLastEvent.js';
import { takeHopMessage } from './hopDelivery.js';
import type { ServiceDeps } from './serviceDeps.js';
import type { StepResult } from './stepResult.js';
import type { ClusterRow } from './writeClusterRow.js';
import { carryOut } from './writeClusterRow.js';
import { stepRowCopy } from './rowCopies.js';

/** Reads and PUTs one invocation may make before a decision must have settled (a guard against a bug). */
const MAX_ROUNDS = 8;

export async function applyClusterStep(
  deps: ServiceDeps,
  msg: ClusterWorkMessage,
  delivery?: Delivery,
): Promise<StepResult> {
  return takeHopMessage(deps, QUEUES.clusterSteps, msg, delivery, (copyAllowed) =>
    applyOnce(deps, msg, copyAllowed),
  );
}

export function hopContext(deps: ServiceDeps): HopContext {
  return { now: deps.clock.now(), settings: deps.settings, catalog: deps.catalog };
}

async function applyOnce(
  deps: ServiceDeps,
  msg: ClusterWorkMessage,
  copyAllowed: boolean,
): Promise<StepResult> {
  let copy = copyAllowed ? stepRowCopy(deps.rollouts, msg) : undefined;
  let row = copy ?? (await deps.rollouts.getCluster(msg.rolloutId, msg.clusterId));
  const obs: StepObservation = { msg };
  let rollout: RolloutSnapshot | null | undefined;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const d = decideStep(row?.value, obs, hopContext(deps));
    // Never drop a message on a copy: the row may have moved on since.
    if (copy && !('need' in d) && d.result.outcome === 'ignored') return applyOnce(deps, msg, false);
    if ('need' in d) {
      if (d.need === 'rollout') {
        rollout = await rolloutSnapshot(deps, msg.rolloutId, ROLLOUT_STATE_MAX_AGE_MS);
        obs.rollout = rollout ? { state: rollout.state, policy: rollout.policy } : null;
      } else if (d.need === 'cluster')
        obs.cluster = await armRead(deps, () => deps.arm.getCluster(msg.clusterId));
      else if (obs.cluster && 'ok' in obs.cluster && obs.cluster.ok)
        obs.lease = await takeClusterLease(deps, obs.cluster.ok, msg.rolloutId);
      continue;
    }
    row = await carryOut(deps, row!, d);
    copy = undefined;
    if (d.result.outcome === 'done' && d.result.reason === 'CheckResent')
      deps.log.info('Operation already started; check re-sent', { ...ids(msg), hop: msg.hop });
    if (!d.arm) return d.result;
    obs.put = await put(deps, row, d.arm, rollout);
  }
  throw new Error(`applyClusterStep: no decision after ${MAX_ROUNDS} rounds`);
}

/** The decision's one PUT, with the snapshot's protected settings read from the vault just before it. */
async function put(
  deps: ServiceDeps,
  row: ClusterRow,
  call: PutCall,
  rollout: RolloutSnapshot | null | undefined,
): Promise<PutAnswer> {
  let desired = call.desired;
  const ref = rollout?.protectedSettings;
  if (ref) {
    try {
      desired = { ...desired, configurationProtectedSettings: await revealProtectedSettings(deps, ref) };
    } catch (e) {
      if (e instanceof TransientError)
        return { secret: 'unavailable', message: e.message, retryAfterMs: e.retryAfterMs };
      if (e instanceof NotFoundError)
        return {
          secret: 'notFound',
          message: `secret ${ref.secretName} version ${ref.version} is gone from the vault (deleted?): the protected settings cannot be sent`,
        };
      throw e;
    }
  }
  const r = row.value;
  const answer = await armRead(deps, () =>
    deps.arm.beginPutExtension(r.clusterId, call.extensionName, desired),
  );
  if ('failure' in answer) return answer;
  deps.log.info('Extension operation started', {
    ...ids(r),
    hop: r.hop,
    operationId: answer.ok.operationId,
    settingsChanged: call.settingsChanged,
    drift: call.drift,
  });
  return { ok: { ...(answer.ok.operationId ? { operationId: answer.ok.operationId } : {}) } };
}

/** An ARM call as an observation: its answer, or its failure typed by the meaning table; anything else throws. */
export async function armRead<T>(deps: ServiceDeps, call: () => Promise<T>): Promise<Read<T>> {
  try {
    return { ok: await call() };
  } catch (e) {
    const failure = classifyArmFailure(e, deps.settings.checkDelayMs);
    if (!failure) throw e;
    return { failure };
  }
}

const ids = (m: { rolloutId: string; clusterId: string }) => ({
  rolloutId: m.rolloutId,
  clusterId: m.clusterId,
});

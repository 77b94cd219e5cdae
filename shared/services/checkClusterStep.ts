/**
 * Queue `cluster-checks`, carried out: read the row (or take this process's copy of it, rowCopies.ts),
 * make the reads the decision asks for (the extension, the operation, the cluster, a confirmation of the
 * extension, the rollout's snapshot), decide (`decideCheck`, shared/domain/clusterHop), renew the lease if
 * told, write, send. Nothing is decided here.
 * A lost ETag race re-reads and decides again (hopDelivery.ts).
 */
import { checkedOperation, decideCheck, type CheckObservation } from '../domain/clusterHop/decideCheck.js';
import type { ClusterWorkMessage } from '../domain/records.js';
import { QUEUES } from '../domain/records.js';
import { armRead, hopContext } from './applyClusterStep.js';
import { renewClusterLease } from './clusterLease.js';
import type { Delivery } from './recordLastEvent.js';
import { takeHopMessage } from './hopDelivery.js';
import type { ServiceDeps } from './serviceDeps.js';
import type { StepResult } from './stepResult.js';
import { rolloutPolicy } from './rolloutPolicy.js';
import { checkRowCopy, keepRowCopy } from './rowCopies.js';
import { carryOut } from './writeClusterRow.js';

const MAX_ROUNDS = 8;

export async function checkClusterStep(
  deps: ServiceDeps,
  msg: ClusterWorkMessage,
  delivery?: Delivery,
): Promise<StepResult> {
  return takeHopMessage(deps, QUEUES.clusterChecks, msg, delivery, (copyAllowed) =>
    checkOnce(deps, msg, copyAllowed),
  );
}

async function checkOnce(
  deps: ServiceDeps,
  msg: ClusterWorkMessage,
  copyAllowed: boolean,
): Promise<StepResult> {
  const copy = copyAllowed ? checkRowCopy(deps.rollouts, msg) : undefined;
  const row = copy ?? (await deps.rollouts.getCluster(msg.rolloutId, msg.clusterId));
  if (row && !copy) keepRowCopy(deps.rollouts, row);
  const obs: CheckObservation = { msg };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const d = decideCheck(row?.value, obs, hopContext(deps));
    // Never drop a message on a copy: the row may have moved on since.
    if (copy && !('need' in d) && d.result.outcome === 'ignored') return checkOnce(deps, msg, false);
    if (!('need' in d)) {
      if (d.renewLease) await renewClusterLease(deps, row!.value.clusterId, row!.value.rolloutId);
      await carryOut(deps, row!, d);
      return d.result;
    }
    const r = row!.value;
    // The operation the decision reads: the row's, or its intent with the id the message carries.
    const op = checkedOperation(r.operation!, msg)!;
    if (d.need === 'extension')
      obs.extension = await armRead(deps, () => deps.arm.getExtension(r.clusterId, op.extensionName));
    else if (d.need === 'confirm')
      obs.confirm = await armRead(deps, () => deps.arm.getExtension(r.clusterId, op.extensionName));
    else if (d.need === 'cluster') obs.cluster = await armRead(deps, () => deps.arm.getCluster(r.clusterId));
    else if (d.need === 'operation')
      obs.operation = await armRead(deps, () =>
        deps.arm.getOperation(r.clusterId, op.extensionName, op.operationId!),
      );
    else {
      const policy = await rolloutPolicy(deps, r.rolloutId);
      obs.rollout = policy ? { policy } : null;
    }
  }
  throw new Error(`checkClusterStep: no decision after ${MAX_ROUNDS} rounds`);
}

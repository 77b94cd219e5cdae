/**
 * Queue `monitor-steps`, carried out: read the row, make the reads the decision asks for (the rollout's
 * snapshot, the Container insights prerequisites (`ensureDataCollection`), the monitor operation, the
 * extension), decide (`decideMonitor`, shared/domain/clusterHop), write, send, and make the decision's one
 * PUT, whose answer is decided again. The OSM state is never touched. Nothing is decided here.
 */
import { MONITOR_EXTENSION_NAME } from '../domain/cluster.js';
import { decideMonitor, type MonitorObservation } from '../domain/clusterHop/decideMonitor.js';
import type { ClusterWorkMessage } from '../domain/records.js';
import { QUEUES } from '../domain/records.js';
import { armRead, hopContext } from './applyClusterStep.js';
import { ensureDataCollection } from './ensureDataCollection.js';
import type { Delivery } from './recordLastEvent.js';
import { takeHopMessage } from './hopDelivery.js';
import type { ServiceDeps } from './serviceDeps.js';
import type { StepResult } from './stepResult.js';
import { rolloutPolicy } from './rolloutPolicy.js';
import { carryOut } from './writeClusterRow.js';

const MAX_ROUNDS = 8;

export async function onboardMonitor(
  deps: ServiceDeps,
  msg: ClusterWorkMessage,
  delivery?: Delivery,
): Promise<StepResult> {
  // The monitor step always reads its row (it keeps no copies).
  return takeHopMessage(deps, QUEUES.monitorSteps, msg, delivery, () => onboardOnce(deps, msg));
}

async function onboardOnce(deps: ServiceDeps, msg: ClusterWorkMessage): Promise<StepResult> {
  let row = await deps.rollouts.getCluster(msg.rolloutId, msg.clusterId);
  const obs: MonitorObservation = { msg };
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const d = decideMonitor(row?.value, obs, hopContext(deps));
    const clusterId = msg.clusterId;
    if ('need' in d) {
      if (d.need === 'rollout') {
        const policy = await rolloutPolicy(deps, msg.rolloutId);
        obs.rollout = policy ? { policy } : null;
      } else if (d.need === 'dataCollection')
        obs.dataCollection = await ensureDataCollection(deps, row!.value.clusterId, d.workspace);
      else if (d.need === 'extension')
        obs.extension = await armRead(deps, () => deps.arm.getExtension(clusterId, MONITOR_EXTENSION_NAME));
      else
        obs.operation = await armRead(deps, () =>
          deps.arm.getOperation(clusterId, MONITOR_EXTENSION_NAME, msg.operationId!),
        );
      continue;
    }
    row = await carryOut(deps, row!, d);
    if (d.markMonitorInstalled) await markInventory(deps, row.value.clusterId);
    if (d.result.outcome !== 'ignored')
      deps.log.info('Monitor step', { rolloutId: msg.rolloutId, clusterId, ...d.result });
    if (!d.arm) return d.result;
    const call = d.arm;
    obs.put = await armRead(deps, () =>
      deps.arm.beginPutExtension(row!.value.clusterId, call.extensionName, call.desired),
    );
  }
  throw new Error(`onboardMonitor: no decision after ${MAX_ROUNDS} rounds`);
}

async function markInventory(deps: ServiceDeps, clusterId: string): Promise<void> {
  const inv = await deps.inventory.get(clusterId);
  if (!inv || inv.value.monitorInstalled) return;
  try {
    await deps.inventory.update({ ...inv.value, monitorInstalled: true }, inv.etag);
  } catch {
    // Best effort: the next discovery sweep records it anyway.
  }
}

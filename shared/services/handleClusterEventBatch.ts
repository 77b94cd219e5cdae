/**
 * One Event Grid delivery (an array of events): duplicates for one cluster are coalesced first (the last
 * per cluster wins: `coalesceClusterEvents`), so a burst of events for one cluster costs one evaluation
 * (a few ARM reads), not one per event; then each remaining event is handled in order.
 */
import { coalesceClusterEvents } from '../domain/clusterEvent.js';
import type { ClusterEventOutcome } from './handleClusterEvent.js';
import { handleClusterEvent } from './handleClusterEvent.js';
import type { ServiceDeps } from './serviceDeps.js';

export async function handleClusterEventBatch(
  deps: ServiceDeps,
  events: readonly unknown[],
): Promise<ClusterEventOutcome[]> {
  const { kept, superseded } = coalesceClusterEvents(events, deps.settings.subscriptions);
  if (superseded > 0)
    deps.log.info('cluster events coalesced', { received: events.length, handled: kept.length, superseded });
  const outcomes: ClusterEventOutcome[] = [];
  for (const event of kept) outcomes.push(await handleClusterEvent(deps, event));
  return outcomes;
}

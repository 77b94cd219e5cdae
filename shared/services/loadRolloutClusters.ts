/** Every cluster row of a rollout, paging through the store. */
import type { RolloutClusterRecord, Versioned } from '../domain/records.js';
import type { RolloutStore } from '../domain/ports.js';
import type { ServiceDeps } from './serviceDeps.js';

export async function loadRolloutClusters(
  deps: Pick<ServiceDeps, 'rollouts'>,
  rolloutId: string,
  filter?: Parameters<RolloutStore['listClusters']>[1],
): Promise<Versioned<RolloutClusterRecord>[]> {
  const rows: Versioned<RolloutClusterRecord>[] = [];
  let continuationToken: string | undefined;
  do {
    const page = await deps.rollouts.listClusters(rolloutId, filter, { top: 1000, continuationToken });
    rows.push(...page.items);
    continuationToken = page.continuationToken;
  } while (continuationToken);
  return rows;
}

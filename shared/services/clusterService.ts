/** GET /clusters and /clusters/{sub}/{rg}/{name}: the fleet as last discovered (its history: clusterHistory.ts). */
import { clusterId } from '../domain/armId.js';
import { isMonitorExtension, osmExtensions } from '../domain/cluster.js';
import { NotFoundError, ValidationError } from '../domain/errors.js';
import { matchesTarget } from '../domain/matchesTarget.js';
import type { Policy } from '../domain/policy.js';
import type { InventoryRecord, Page, PageRequest } from '../domain/records.js';
import type { ServiceDeps } from './serviceDeps.js';

export interface ClusterView {
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  distribution: string;
  connectivity: string;
  tags: Record<string, string>;
  osm: {
    name: string;
    version: string | null;
    provisioningState: string;
    settings: Record<string, string>;
  } | null;
  monitor: { installed: boolean };
  policies: string[];
  discoveredAt: string;
  removedAt?: string;
}

export interface ClusterFilter {
  policy?: string;
  osmVersion?: string;
  /** Connectivity (`Connected`, `Offline`, `Expired`, ...) or `Removed`; case-insensitive. */
  state?: string;
}

export function clusterView(r: InventoryRecord, policies: readonly Policy[]): ClusterView {
  const c = r.cluster;
  const osm = osmExtensions(c)[0];
  return {
    id: c.id,
    name: c.name,
    subscriptionId: c.subscriptionId,
    resourceGroup: c.resourceGroup,
    location: c.location,
    distribution: c.distribution,
    connectivity: c.connectivity,
    tags: { ...c.tags },
    osm: osm
      ? {
          name: osm.name,
          version: osm.version,
          provisioningState: osm.provisioningState,
          settings: { ...osm.configurationSettings },
        }
      : null,
    monitor: { installed: r.monitorInstalled || c.extensions.some(isMonitorExtension) },
    policies: policies.filter((p) => matchesTarget(p.target, c)).map((p) => p.name),
    discoveredAt: r.discoveredAt,
    ...(r.removedAt ? { removedAt: r.removedAt } : {}),
  };
}

async function allPolicies(deps: ServiceDeps): Promise<Policy[]> {
  const out: Policy[] = [];
  let token: string | undefined;
  do {
    const page = await deps.policies.list({ top: 1000, ...(token ? { continuationToken: token } : {}) });
    out.push(...page.items.map((p) => p.value.policy));
    token = page.continuationToken;
  } while (token);
  return out;
}

/** One page of the inventory; with `policy` or `state` a page may hold fewer than `top` items. */
export async function listClusters(
  deps: ServiceDeps,
  filter: ClusterFilter,
  page?: PageRequest,
): Promise<Page<ClusterView>> {
  const policies = await allPolicies(deps);
  const policy = filter.policy ? policies.find((p) => p.name === filter.policy) : undefined;
  if (filter.policy && !policy)
    throw new NotFoundError(`policy "${filter.policy}" does not exist`, 'PolicyNotFound');
  const state = filter.state?.toLowerCase();
  if (state !== undefined && !/^[a-z]{1,32}$/.test(state))
    throw new ValidationError(
      'state: must be a connectivity status or Removed',
      [{ path: 'state', message: 'must be a connectivity status or Removed' }],
      'InvalidQueryParameter',
    );
  const result = await deps.inventory.list(
    filter.osmVersion ? { osmVersion: filter.osmVersion } : undefined,
    page,
  );
  const items = result.items.filter(
    (r) =>
      (!policy || matchesTarget(policy.target, r.cluster)) &&
      (!state ||
        (state === 'removed'
          ? !!r.removedAt
          : !r.removedAt && r.cluster.connectivity.toLowerCase() === state)),
  );
  return { ...result, items: items.map((r) => clusterView(r, policies)) };
}

export async function getClusterView(
  deps: ServiceDeps,
  subscriptionId: string,
  resourceGroup: string,
  name: string,
): Promise<ClusterView> {
  const id = clusterId({ subscriptionId, resourceGroup, name });
  const found = await deps.inventory.get(id);
  if (!found) throw new NotFoundError(`cluster ${id} is not in the inventory`, 'ClusterNotFound');
  return clusterView(found.value, await allPolicies(deps));
}

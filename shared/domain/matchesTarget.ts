/**
 * Cluster selection: does a policy's `target` take this cluster? Fields are AND-ed, list entries OR-ed;
 * IDs, distributions, locations and resource groups compare case-insensitively, as ARM does. Tag keys are
 * case-insensitive (ARM), tag values case-sensitive. Cluster names match globs (`*`, `?`), case-insensitively.
 */
import { normalizeId } from './armId.js';
import type { ClusterInfo } from './cluster.js';
import { globMatch } from './globMatch.js';
import type { Policy } from './policy.js';

type Target = Policy['target'];

export function matchesTarget(target: Target, cluster: ClusterInfo): boolean {
  const lower = (s: string) => s.toLowerCase();
  if (target.subscriptions && !target.subscriptions.some((s) => lower(s) === lower(cluster.subscriptionId)))
    return false;
  if (target.resourceGroups && !target.resourceGroups.some((g) => lower(g) === lower(cluster.resourceGroup)))
    return false;
  if (target.distributions && !target.distributions.some((d) => lower(d) === lower(cluster.distribution)))
    return false;
  if (
    target.locations &&
    !target.locations.some((l) => normalizeLocation(l) === normalizeLocation(cluster.location))
  )
    return false;
  if (target.clusterNames && !target.clusterNames.some((g) => globMatch(g, cluster.name))) return false;
  if (target.tags && !Object.entries(target.tags).every(([k, v]) => tagValue(cluster.tags, k) === v))
    return false;
  return true;
}

/**
 * Whether the target's `exclude` list names this cluster. The list is indexed once per list (a Set of
 * lower-cased IDs, kept while the policy object lives), so a plan costs clusters + excludes, not their
 * product (10,000 x 1,900 comparisons took 1.9 s per plan; see docs/security.md, item 13).
 */
export function isExcluded(target: Target, cluster: ClusterInfo): boolean {
  const list = target.exclude;
  if (!list || list.length === 0) return false;
  let index = excludeIndexes.get(list);
  if (!index) {
    index = new Set(list.map(normalizeId));
    excludeIndexes.set(list, index);
  }
  return index.has(normalizeId(cluster.id));
}

const excludeIndexes = new WeakMap<readonly string[], ReadonlySet<string>>();

/** `East US` and `eastus` are the same Azure location. */
export function normalizeLocation(location: string): string {
  return location.replace(/\s+/g, '').toLowerCase();
}

function tagValue(tags: Readonly<Record<string, string>>, key: string): string | undefined {
  const k = key.toLowerCase();
  for (const [name, value] of Object.entries(tags)) if (name.toLowerCase() === k) return value;
  return undefined;
}

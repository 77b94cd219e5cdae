/**
 * Cluster selection: does a policy's `target` take this cluster? Fields are AND-ed, list entries OR-ed;
 * IDs, distributions, locations and resource groups compare case-insensitively, as ARM does. Tag keys are
 * case-insensitive (ARM), tag values case-sensitive. Cluster names match globs (`*`, `?`), case-insensitively.
 */
import { sameId } from './armId.js';
import type { ClusterInfo } from './cluster.js';
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
  if (target.clusterNames && !target.clusterNames.some((g) => globToRegExp(g).test(cluster.name)))
    return false;
  if (target.tags && !Object.entries(target.tags).every(([k, v]) => tagValue(cluster.tags, k) === v))
    return false;
  return true;
}

/** Whether the target's `exclude` list names this cluster. */
export function isExcluded(target: Target, cluster: ClusterInfo): boolean {
  return !!target.exclude?.some((id) => sameId(id, cluster.id));
}

/** `East US` and `eastus` are the same Azure location. */
export function normalizeLocation(location: string): string {
  return location.replace(/\s+/g, '').toLowerCase();
}

function tagValue(tags: Readonly<Record<string, string>>, key: string): string | undefined {
  const k = key.toLowerCase();
  for (const [name, value] of Object.entries(tags)) if (name.toLowerCase() === k) return value;
  return undefined;
}

const globCache = new Map<string, RegExp>();

export function globToRegExp(glob: string): RegExp {
  let re = globCache.get(glob);
  if (!re) {
    const body = glob
      .replace(/[.+^${}()|[\]\\-]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, 'i');
    globCache.set(glob, re);
  }
  return re;
}

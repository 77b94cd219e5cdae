/** ARM resource IDs: parsing and the case-insensitive comparison ARM itself applies. */
import { ValidationError } from './errors.js';

export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const RESOURCE_GROUP_PATTERN = /^[-\w.()]{0,89}[-\w()]$/;
export const CLUSTER_NAME_PATTERN = /^[A-Za-z0-9][-_.A-Za-z0-9]{0,62}$/;

const CLUSTER_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Kubernetes\/connectedClusters\/([^/]+)$/i;
const WORKSPACE_ID =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.OperationalInsights\/workspaces\/([^/]+)$/i;

export interface ClusterRef {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

/**
 * Whether a subscription is one the fleet manager is scoped to (`FLEET_SUBSCRIPTIONS`). The one check of
 * scope: the Event Grid path and every route that acts on a named cluster go through it.
 */
export function inSubscriptionScope(subscriptionId: string, subscriptions: readonly string[]): boolean {
  const sub = subscriptionId.toLowerCase();
  return subscriptions.some((s) => s.toLowerCase() === sub);
}

/** Refuses (`SubscriptionOutOfScope`, HTTP 403) a cluster outside the configured subscriptions. */
export function requireSubscriptionScope(ref: ClusterRef, subscriptions: readonly string[]): void {
  if (inSubscriptionScope(ref.subscriptionId, subscriptions)) return;
  const message = `subscription ${ref.subscriptionId} is not one of the fleet's subscriptions (FLEET_SUBSCRIPTIONS)`;
  throw new ValidationError(message, [{ path: 'subscriptionId', message }], 'SubscriptionOutOfScope');
}

/** Parses a connected cluster's ARM ID; undefined when it is not one. */
export function parseClusterId(id: string): ClusterRef | undefined {
  const m = CLUSTER_ID.exec(id);
  if (!m) return undefined;
  const [, subscriptionId = '', resourceGroup = '', name = ''] = m;
  if (!GUID_PATTERN.test(subscriptionId) || !RESOURCE_GROUP_PATTERN.test(resourceGroup)) return undefined;
  if (!CLUSTER_NAME_PATTERN.test(name)) return undefined;
  return { subscriptionId, resourceGroup, name };
}

export function clusterId(ref: ClusterRef): string {
  return `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/Microsoft.Kubernetes/connectedClusters/${ref.name}`;
}

export function isWorkspaceId(id: string): boolean {
  const m = WORKSPACE_ID.exec(id);
  return !!m && GUID_PATTERN.test(m[1] ?? '') && RESOURCE_GROUP_PATTERN.test(m[2] ?? '');
}

/** The canonical form used for comparisons and storage keys: ARM IDs are case-insensitive. */
export function normalizeId(id: string): string {
  return id.toLowerCase();
}

export function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** `{sub}/{rg}/{name}` path segments -> a cluster reference, or a 400-class ValidationError naming the segment. */
export function parseClusterPath(params: Readonly<Record<string, string | undefined>>): ClusterRef {
  const problems: { path: string; message: string }[] = [];
  const sub = params.sub ?? '';
  const rg = params.rg ?? '';
  const name = params.name ?? '';
  if (!GUID_PATTERN.test(sub))
    problems.push({ path: 'subscriptionId', message: 'must be a subscription GUID' });
  if (!RESOURCE_GROUP_PATTERN.test(rg))
    problems.push({ path: 'resourceGroup', message: 'must be a resource group name' });
  if (!CLUSTER_NAME_PATTERN.test(name))
    problems.push({ path: 'clusterName', message: 'must be a cluster name' });
  const first = problems[0];
  if (first) throw new ValidationError(`${first.path}: ${first.message}`, problems, 'InvalidPathParameter');
  return { subscriptionId: sub, resourceGroup: rg, name };
}

/**
 * A cluster on the command line: `<subscriptionId>/<resourceGroup>/<name>`, its full ARM id, or just its
 * name as `plan` prints it (looked up in the inventory: used when unique, else the candidates are listed).
 */
import type { ApiClient } from './apiClient.js';
import { UsageError } from './errors.js';

export interface ClusterArg {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

const ARM_ID =
  /^\/?subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Kubernetes\/connectedClusters\/([^/]+)\/?$/i;

export function parseClusterArg(arg: string): ClusterArg {
  const m = ARM_ID.exec(arg);
  const parts = m ? m.slice(1) : arg.split('/');
  const [subscriptionId, resourceGroup, name] = parts;
  if (parts.length !== 3 || !subscriptionId || !resourceGroup || !name)
    throw new UsageError(
      `cluster "${arg}": give <subscriptionId>/<resourceGroup>/<name> or the connected cluster's ARM id`,
    );
  return { subscriptionId, resourceGroup, name };
}

/** The API path of a cluster: `/clusters/{sub}/{rg}/{name}`. */
export function clusterPath(arg: string): string {
  const c = parseClusterArg(arg);
  return `/clusters/${[c.subscriptionId, c.resourceGroup, c.name].map(encodeURIComponent).join('/')}`;
}

export function clusterArmId(arg: string): string {
  const c = parseClusterArg(arg);
  return `/subscriptions/${c.subscriptionId}/resourceGroups/${c.resourceGroup}/providers/Microsoft.Kubernetes/connectedClusters/${c.name}`;
}

/** An ARM id as the short `sub/rg/name` the commands take. */
export function shortId(id: string): string {
  const m = ARM_ID.exec(id);
  return m ? m.slice(1).join('/') : id;
}

/** `sub/rg/name` of `arg`; a bare name is looked up in the inventory (`GET /clusters`, every page). */
export async function resolveClusterArg(client: ApiClient, arg: string): Promise<string> {
  if (arg.includes('/')) return arg;
  if (!/^[-_.A-Za-z0-9]{1,63}$/.test(arg))
    throw new UsageError(
      `cluster "${arg}": give a cluster name, <subscriptionId>/<resourceGroup>/<name> or the ARM id`,
    );
  const { items } = await client.list<{ id: string; name: string; removedAt?: string }>('/clusters', {});
  const found = items.filter((c) => !c.removedAt && c.name.toLowerCase() === arg.toLowerCase());
  const only = found[0];
  if (found.length === 1 && only) return shortId(only.id);
  if (found.length === 0) throw new UsageError(`cluster "${arg}": no cluster of that name in the inventory`);
  throw new UsageError(
    `cluster "${arg}": ${found.length} clusters have that name; give one of\n${found.map((c) => `  ${shortId(c.id)}`).join('\n')}`,
  );
}

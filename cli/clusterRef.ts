/** A cluster on the command line: `<subscriptionId>/<resourceGroup>/<name>` or its full ARM id. */
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

/** The hash router: `#/`, `#/rollouts/<id>`, `#/clusters/<sub>/<rg>/<name>`. */
export type Route = { view: 'fleet' } | { view: 'rollout'; id: string } | { view: 'cluster'; path: string };

export function parseRoute(hash: string): Route {
  const parts = hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter((p) => p !== '')
    .map((p) => safeDecode(p));
  if (parts[0] === 'rollouts' && parts.length === 2 && parts[1]) return { view: 'rollout', id: parts[1] };
  if (parts[0] === 'clusters' && parts.length === 4)
    return { view: 'cluster', path: parts.slice(1).map(encodeURIComponent).join('/') };
  return { view: 'fleet' };
}

export const rolloutHref = (id: string) => `#/rollouts/${encodeURIComponent(id)}`;
export const clusterHref = (path: string) => `#/clusters/${path}`;

function safeDecode(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}

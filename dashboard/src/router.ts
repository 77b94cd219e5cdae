/**
 * The hash router: `#/`, `#/rollouts/<id>`, `#/clusters/<sub>/<rg>/<name>`, `#/clusters?q=&version=&...`
 * (the clusters page, filtered), `#/policies`, `#/compliance/<policy>?status=` (a policy's clusters of one
 * compliance class). Filters live in the hash so that a link (from a chart, a card) opens the page filtered.
 */
export type Route =
  | { view: 'fleet' }
  | { view: 'rollout'; id: string }
  | { view: 'cluster'; path: string }
  | { view: 'clusters'; filter: URLSearchParams }
  | { view: 'policies' }
  | { view: 'compliance'; policy: string; status: string };

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const [pathPart = '', queryPart = ''] = raw.split('?', 2);
  const query = new URLSearchParams(queryPart);
  const parts = pathPart
    .split('/')
    .filter((p) => p !== '')
    .map((p) => safeDecode(p));
  if (parts[0] === 'rollouts' && parts.length === 2 && parts[1]) return { view: 'rollout', id: parts[1] };
  if (parts[0] === 'clusters' && parts.length === 4)
    return { view: 'cluster', path: parts.slice(1).map(encodeURIComponent).join('/') };
  if (parts[0] === 'clusters' && parts.length === 1) return { view: 'clusters', filter: query };
  if (parts[0] === 'policies' && parts.length === 1) return { view: 'policies' };
  if (parts[0] === 'compliance' && parts.length === 2 && parts[1])
    return { view: 'compliance', policy: parts[1], status: query.get('status') ?? '' };
  return { view: 'fleet' };
}

export const rolloutHref = (id: string) => `#/rollouts/${encodeURIComponent(id)}`;
export const clusterHref = (path: string) => `#/clusters/${path}`;
export const policiesHref = '#/policies';

/** The clusters page with these filters (empty values left out). */
export function clustersHref(filter: Record<string, string | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v) q.set(k, v);
  const text = q.toString();
  return `#/clusters${text ? `?${text}` : ''}`;
}

export function complianceHref(policy: string, status = ''): string {
  return `#/compliance/${encodeURIComponent(policy)}${status ? `?status=${encodeURIComponent(status)}` : ''}`;
}

function safeDecode(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}

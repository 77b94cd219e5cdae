/** `#/clusters/<sub>/<rg>/<name>`: the cluster as last discovered and its history, newest first. */
import { ApiError, api } from './api.js';
import { h, link, section, table, when } from './dom.js';
import { clusterState } from './metrics.js';
import { rolloutHref } from './router.js';
import type { Cluster } from './types.js';
import type { Rendered } from './view.js';

export async function clusterView(path: string): Promise<Rendered> {
  const [cluster, history] = await Promise.all([
    api.cluster(path).catch((err: unknown) => {
      if (err instanceof ApiError && err.status === 404) return undefined; // gone: its history remains
      throw err;
    }),
    api.history(path),
  ]);
  const rows = history.items.map((e) => [
    when(e.at),
    e.actor,
    e.action,
    h('span', { class: `result result-${e.result.toLowerCase()}` }, e.result),
    e.from === undefined && e.to === undefined ? '' : `${e.from ?? '(none)'} → ${e.to ?? '(none)'}`,
    e.rolloutId ? link(rolloutHref(e.rolloutId), e.rolloutId) : '',
    e.message ?? e.reason ?? '',
  ]);
  return {
    node: h(
      'div',
      {},
      h('p', {}, link('#/', '← fleet')),
      cluster ? details(cluster) : section(decodeURIComponent(path), h('p', {}, 'Not in the inventory.')),
      section(
        `History (${history.items.length}${history.continuationToken ? '+' : ''})`,
        rows.length
          ? table(['At (UTC)', 'Actor', 'Action', 'Result', 'Version', 'Rollout', 'Message'], rows, {
              class: 'history',
            })
          : h('p', { class: 'muted' }, 'No history.'),
      ),
    ),
  };
}

function details(c: Cluster): HTMLElement {
  const facts: [string, string][] = [
    ['Subscription', c.subscriptionId],
    ['Resource group', c.resourceGroup],
    ['Location', c.location],
    ['Distribution', c.distribution],
    ['State', clusterState(c)],
    ['OSM', c.osm ? `${c.osm.version ?? '?'} (${c.osm.name}, ${c.osm.provisioningState})` : 'not installed'],
    ['Policies', c.policies.join(', ') || '—'],
    [
      'Tags',
      Object.entries(c.tags)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ') || '—',
    ],
    ['Discovered', when(c.discoveredAt)],
  ];
  return h(
    'section',
    { class: 'card' },
    h('h1', {}, `Cluster ${c.name}`),
    h('dl', { class: 'facts' }, ...facts.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
  );
}

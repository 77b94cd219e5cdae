/**
 * `#/clusters?q=&version=&connectivity=&policy=&subscription=&state=&limit=`: the inventory searched by
 * name and filtered, a page at a time ("more" shows the next 50). The inventory is read once (inventory.ts)
 * and filtered here, so changing a filter over 10,000 clusters costs no API call.
 */
import { h, link, section, table, when } from './dom.js';
import { inventory } from './inventory.js';
import type { ClusterFilter } from './metrics.js';
import {
  FILTER_KEYS,
  clusterPath,
  clusterState,
  filterClusters,
  osmStateOf,
  osmVersionOf,
} from './metrics.js';
import { clusterHref, clustersHref } from './router.js';
import type { Cluster } from './types.js';
import type { Rendered } from './view.js';

const PAGE = 50;

export async function clustersView(query: URLSearchParams): Promise<Rendered> {
  const started = performance.now();
  const fleet = await inventory();
  const filter: ClusterFilter = {};
  for (const k of FILTER_KEYS) {
    const v = query.get(k);
    if (v) filter[k] = v;
  }
  const limit = Math.max(PAGE, Number(query.get('limit')) || PAGE);
  const matching = filterClusters(fleet.items, filter);
  const rows = matching.slice(0, limit).map(row);
  const go = (over: Partial<Record<string, string>>) => {
    const next: Record<string, string | undefined> = { ...filter, ...over };
    delete next.limit;
    location.hash = clustersHref(next);
  };
  const node = h(
    'div',
    { 'data-testid': 'clusters-page' },
    h('p', {}, link('#/', '← fleet')),
    section(
      'Clusters',
      filters(fleet.items, filter, go),
      h(
        'p',
        { class: 'muted', 'data-testid': 'clusters-count' },
        `${matching.length} matching of ${fleet.items.length}${fleet.truncated ? '+' : ''} clusters` +
          (matching.length > rows.length ? ` · showing ${rows.length}` : ''),
      ),
      rows.length
        ? h(
            'div',
            { class: 'scroll' },
            table(
              ['Cluster', 'Subscription', 'OSM', 'OSM state', 'Connectivity', 'Policies', 'Discovered'],
              rows,
              {
                class: 'clusters inventory',
              },
            ),
          )
        : h('p', { class: 'muted' }, 'No cluster matches.'),
      matching.length > rows.length
        ? link(
            clustersHref({ ...filter, limit: String(limit + PAGE) }),
            `More (${matching.length - rows.length} left)`,
            {
              class: 'more',
              'data-testid': 'more-clusters',
            },
          )
        : null,
    ),
  );
  node.setAttribute('data-render-ms', String(Math.round(performance.now() - started)));
  return { node };
}

function row(c: Cluster) {
  const path = clusterPath(c.id);
  return [
    path ? link(clusterHref(path), c.name, { 'data-cluster': c.name }) : c.name,
    c.subscriptionId,
    osmVersionOf(c),
    osmStateOf(c),
    clusterState(c),
    c.policies.join(', ') || '—',
    when(c.discoveredAt),
  ];
}

function filters(
  all: readonly Cluster[],
  f: ClusterFilter,
  go: (over: Partial<Record<string, string>>) => void,
): HTMLElement {
  const options = (key: keyof ClusterFilter, values: string[], label: string) => {
    const select = h(
      'select',
      { name: key, 'aria-label': label },
      h('option', { value: '' }, `${label}: any`),
      ...[...new Set(values)].sort().map((v) => h('option', { value: v, selected: f[key] === v }, v)),
    );
    select.addEventListener('change', () => go({ [key]: select.value }));
    return select;
  };
  const search = h('input', {
    type: 'search',
    name: 'q',
    placeholder: 'name contains…',
    value: f.q ?? '',
    'aria-label': 'search by name',
  });
  const form = h(
    'form',
    { class: 'filters', role: 'search' },
    search,
    options('version', all.map(osmVersionOf), 'OSM'),
    options('connectivity', all.map(clusterState), 'connectivity'),
    options(
      'policy',
      all.flatMap((c) => c.policies),
      'policy',
    ),
    options(
      'subscription',
      all.map((c) => c.subscriptionId),
      'subscription',
    ),
    options('state', all.map(osmStateOf), 'OSM state'),
    h('button', { type: 'submit' }, 'Search'),
    link(clustersHref(), 'clear'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    go({ q: search.value });
  });
  return form;
}

/**
 * `#/clusters/<sub>/<rg>/<name>`: the cluster as last discovered and its history as a timeline, newest
 * first: hops, failures with ARM's own words, approvals, monitoring, drift; "older" reads the next page.
 */
import { ApiError, api } from './api.js';
import { button, h, link, section, when } from './dom.js';
import { clusterState } from './metrics.js';
import { clustersHref, rolloutHref } from './router.js';
import type { Cluster, HistoryEvent } from './types.js';
import type { Rendered, ViewContext } from './view.js';

const PAGE = 100;
let shown = { path: '', limit: PAGE };

/** The kind of an event on the timeline (its marker and colour). */
export function eventKind(e: Pick<HistoryEvent, 'action' | 'result'>): string {
  if (e.result === 'Failed' || /Failed$/.test(e.action)) return 'failure';
  if (/Drift/.test(e.action)) return 'drift';
  if (/Approv|CrdStep/.test(e.action)) return 'approval';
  if (/^Monitor/.test(e.action)) return 'monitor';
  if (/^(Install|Upgrade|Reinstall|Reconfigure|Uninstall|Settings)/i.test(e.action)) return 'hop';
  return 'other';
}

export async function clusterView(path: string, ctx: ViewContext): Promise<Rendered> {
  if (shown.path !== path) shown = { path, limit: PAGE };
  const [cluster, history] = await Promise.all([
    api.cluster(path).catch((err: unknown) => {
      if (err instanceof ApiError && err.status === 404) return undefined; // gone: its history remains
      throw err;
    }),
    api.history(path, Math.min(shown.limit, 1000)),
  ]);
  const items = history.items.map((e) => {
    const kind = eventKind(e);
    const versions =
      e.from === undefined && e.to === undefined ? '' : ` ${e.from ?? '(none)'} → ${e.to ?? '(none)'}`;
    return h(
      'li',
      { class: `event event-${kind}`, 'data-kind': kind, 'data-action': e.action },
      h('time', { datetime: e.at }, when(e.at)),
      h(
        'div',
        { class: 'event-body' },
        h('b', {}, e.action),
        h('span', { class: `result result-${e.result.toLowerCase()}` }, ` ${e.result}`),
        versions,
        e.message || e.reason
          ? h('p', { class: kind === 'failure' ? 'arm-words' : 'muted' }, e.message ?? e.reason)
          : null,
        h(
          'small',
          { class: 'muted' },
          `by ${e.actor}`,
          e.rolloutId ? h('span', {}, ' · rollout ', link(rolloutHref(e.rolloutId), e.rolloutId)) : null,
          e.pending
            ? h('span', { 'data-testid': 'pending-event' }, ' · pending (stored when the hop ends)')
            : null,
        ),
      ),
    );
  });
  return {
    node: h(
      'div',
      {},
      h('p', {}, link('#/', '← fleet'), ' · ', link(clustersHref(), 'clusters')),
      cluster ? details(cluster) : section(decodeURIComponent(path), h('p', {}, 'Not in the inventory.')),
      section(
        `History (${history.items.length}${history.continuationToken ? '+' : ''})`,
        items.length
          ? h('ol', { class: 'timeline history', 'data-testid': 'timeline' }, ...items)
          : h('p', { class: 'muted' }, 'No history.'),
        history.continuationToken
          ? button(
              'Older',
              () => {
                shown.limit += PAGE;
                ctx.refresh();
              },
              { 'data-testid': 'older-history' },
            )
          : null,
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

/** `#/`: the fleet at a glance (clusters by OSM version and by state) and the recent rollouts. */
import { api } from './api.js';
import { barChart, donutChart } from './charts.js';
import { h, link, section, table, when } from './dom.js';
import { ACTIVE, clusterState, countBy, osmVersionOf } from './metrics.js';
import { rolloutHref } from './router.js';
import type { Rendered } from './view.js';
import { countsLine, progressBar } from './waveBars.js';

export async function fleetView(): Promise<Rendered> {
  const [fleet, rollouts] = await Promise.all([api.allClusters(), api.rollouts(20)]);
  const present = fleet.items;
  const charts = h(
    'div',
    { class: 'grid' },
    section(
      `Clusters by OSM version (${present.length}${fleet.truncated ? '+' : ''})`,
      barChart(
        'versions',
        countBy(
          present.filter((c) => !c.removedAt),
          osmVersionOf,
        ),
      ),
    ),
    section('Clusters by state', donutChart('states', countBy(present, clusterState))),
  );
  const rows = rollouts.items.map((r) => [
    link(rolloutHref(r.id), r.id, { 'data-rollout': r.id }),
    r.policy,
    h('span', { class: `state state-${r.state.toLowerCase()}` }, r.state),
    h('div', {}, progressBar(r.counts), h('small', {}, countsLine(r.counts))),
    when(r.createdAt),
  ]);
  const list = section(
    'Rollouts',
    rows.length
      ? table(['Rollout', 'Policy', 'State', 'Progress', 'Created (UTC)'], rows, { class: 'rollouts' })
      : h('p', { class: 'muted' }, 'No rollouts yet.'),
  );
  const moving = rollouts.items.some((r) => ACTIVE.includes(r.state));
  return { node: h('div', {}, charts, list), ...(moving ? { refreshMs: 5_000 } : {}) };
}

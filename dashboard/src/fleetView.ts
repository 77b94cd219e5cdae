/**
 * `#/`: the fleet at a glance: clusters by OSM version and by state (each bar and legend entry opens the
 * clusters page filtered), a compliance card per policy, and the rollouts, newest first, with "more".
 */
import { api } from './api.js';
import { barChart, donutChart } from './charts.js';
import { complianceCard } from './complianceCard.js';
import { button, h, link, section, table, when } from './dom.js';
import { inventory } from './inventory.js';
import { clusterState, countBy, isMoving, osmVersionOf } from './metrics.js';
import { clustersHref, rolloutHref } from './router.js';
import type { Rendered, ViewContext } from './view.js';
import { barLegend, countsLine, progressBar } from './waveBars.js';

const PAGE = 20;
/** How many rollouts the list shows; "more" adds a page (kept while the page refreshes itself). */
let shown = PAGE;

export async function fleetView(ctx: ViewContext): Promise<Rendered> {
  const [fleet, rollouts, policies] = await Promise.all([
    inventory(15_000),
    api.rollouts(Math.min(shown, 1000)),
    api.policies(),
  ]);
  const compliance = await Promise.all(policies.items.map((p) => api.compliance(p.name)));
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
        (version) => clustersHref({ version }),
      ),
    ),
    section(
      'Clusters by state',
      donutChart('states', countBy(present, clusterState), (connectivity) => clustersHref({ connectivity })),
    ),
  );
  const cards = compliance.length
    ? h('div', { class: 'grid', 'data-testid': 'compliance-cards' }, ...compliance.map(complianceCard))
    : null;
  const rows = rollouts.items.map((r) => [
    link(rolloutHref(r.id), r.id, { 'data-rollout': r.id }),
    r.policy,
    h('span', { class: `state state-${String(r.state).toLowerCase()}` }, r.state),
    h('div', {}, progressBar(r.counts), h('small', {}, countsLine(r.counts))),
    when(r.createdAt),
  ]);
  const more = rollouts.continuationToken
    ? button(
        'More',
        () => {
          shown += PAGE;
          ctx.refresh();
        },
        { 'data-testid': 'more-rollouts' },
      )
    : null;
  const list = section(
    'Rollouts (newest first)',
    rows.length
      ? h(
          'div',
          { class: 'scroll' },
          table(['Rollout', 'Policy', 'State', 'Progress', 'Created (UTC)'], rows, { class: 'rollouts' }),
        )
      : h('p', { class: 'muted' }, 'No rollouts yet.'),
    rows.length ? barLegend() : null,
    more,
  );
  const moving = rollouts.items.some((r) => isMoving(r.state));
  return {
    node: h('div', {}, charts, cards, list),
    ...(moving ? { refreshMs: 5_000 } : {}),
  };
}

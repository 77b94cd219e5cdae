/** `#/compliance/<policy>?status=`: a policy's counts, per subscription, and its clusters of one class, paged. */
import { api } from './api.js';
import { CLASSES, CLASS_LABEL, complianceCard } from './complianceCard.js';
import { button, h, link, section, table } from './dom.js';
import { clusterPath } from './metrics.js';
import { clusterHref, complianceHref } from './router.js';
import type { ComplianceItem } from './types.js';
import type { Rendered, ViewContext } from './view.js';

const PAGE = 50;
let shown = { key: '', limit: PAGE };

export async function complianceView(policy: string, status: string, ctx: ViewContext): Promise<Rendered> {
  const key = `${policy}?${status}`;
  if (shown.key !== key) shown = { key, limit: PAGE };
  const c = await api.compliance(policy, status, Math.min(shown.limit, 1000));
  const rows = c.clusters.items.map(row);
  const subs = Object.entries(c.bySubscription).map(([sub, s]) => [
    sub,
    s.clusters,
    ...CLASSES.map((k) => s.counts[k] ?? 0),
  ]);
  const title = status ? `Clusters ${CLASS_LABEL[status] ?? status}` : 'Targeted clusters';
  return {
    node: h(
      'div',
      { 'data-testid': 'compliance-page' },
      h('p', {}, link('#/', '← fleet'), ' · ', link(complianceHref(policy), `all of ${policy}`)),
      complianceCard(c),
      section(
        'Per subscription',
        h(
          'div',
          { class: 'scroll' },
          table(['Subscription', 'Clusters', ...CLASSES.map((k) => CLASS_LABEL[k] ?? k)], subs),
        ),
      ),
      section(
        `${title} (${rows.length}${c.clusters.continuationToken ? '+' : ''})`,
        rows.length
          ? h(
              'div',
              { class: 'scroll' },
              table(['Cluster', 'Status', 'Version', 'Reason', 'Detail'], rows, { class: 'compliance-list' }),
            )
          : h('p', { class: 'muted' }, 'None.'),
        c.clusters.continuationToken
          ? button(
              'More',
              () => {
                shown.limit += PAGE;
                ctx.refresh();
              },
              { 'data-testid': 'more-compliance' },
            )
          : null,
      ),
    ),
  };
}

function row(i: ComplianceItem) {
  const path = clusterPath(i.id);
  const detail =
    i.status === 'behind'
      ? `${i.version ?? '(none)'} → ${i.path.join(' → ')}`
      : i.status === 'drifted'
        ? i.drift.map((d) => `${d.key} = ${d.current ?? '(unset)'} (policy: ${d.desired})`).join('; ')
        : (i.message ?? '');
  return [
    path ? link(clusterHref(path), i.name, { 'data-cluster': i.name }) : i.name,
    h('span', { class: `badge cls-${i.status}` }, CLASS_LABEL[i.status] ?? i.status),
    i.version ?? '(none)',
    i.reason,
    detail,
  ];
}

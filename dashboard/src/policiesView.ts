/** `#/policies`: each policy, its target, version, schedule, last rollout and compliance. */
import { api } from './api.js';
import { complianceBar, sweepAge } from './complianceCard.js';
import { h, link, section, table, when } from './dom.js';
import { complianceHref, rolloutHref } from './router.js';
import type { Rendered } from './view.js';

export async function policiesView(): Promise<Rendered> {
  const policies = await api.policies();
  const compliance = await Promise.all(policies.items.map((p) => api.compliance(p.name)));
  const rows = policies.items.map((p, i) => {
    const c = compliance[i];
    const target = Object.entries(p.target ?? {})
      .map(
        ([k, v]) =>
          `${k}: ${Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v)}`,
      )
      .join('; ');
    return [
      h('b', { 'data-policy': p.name }, p.name),
      target || 'every cluster',
      p.osm?.version ?? '—',
      p.schedule ?? '—',
      c?.lastRollout
        ? h(
            'span',
            {},
            link(rolloutHref(c.lastRollout.id), c.lastRollout.id),
            ` ${c.lastRollout.state} · ${when(c.lastRollout.createdAt)}`,
          )
        : '—',
      c
        ? h(
            'div',
            {},
            complianceBar(c),
            link(
              complianceHref(p.name),
              `${c.summary.counts.compliant ?? 0}/${c.summary.clusters} compliant`,
            ),
            h('small', { class: 'muted' }, ` · ${sweepAge(c)}`),
          )
        : '—',
    ];
  });
  return {
    node: h(
      'div',
      { 'data-testid': 'policies-page' },
      h('p', {}, link('#/', '← fleet')),
      section(
        `Policies (${rows.length})`,
        rows.length
          ? h(
              'div',
              { class: 'scroll' },
              table(['Policy', 'Target', 'OSM', 'Schedule', 'Last rollout', 'Compliance'], rows, {
                class: 'policies',
              }),
            )
          : h('p', { class: 'muted' }, 'No policies yet.'),
      ),
    ),
  };
}

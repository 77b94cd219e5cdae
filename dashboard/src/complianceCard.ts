/**
 * A policy's compliance at a glance: a stacked bar of its classes (from the last sweep, its age shown) and
 * one link per class to the clusters in it (`#/compliance/<policy>?status=`).
 */
import { h, link } from './dom.js';
import { complianceHref } from './router.js';
import type { Compliance } from './types.js';

export const CLASSES = [
  'compliant',
  'drifted',
  'behind',
  'missing',
  'notEligible',
  'failed',
  'other',
] as const;
export const CLASS_LABEL: Record<string, string> = {
  compliant: 'compliant',
  drifted: 'drifted',
  behind: 'behind',
  missing: 'missing OSM',
  notEligible: 'not eligible',
  failed: 'failed',
  other: 'other',
};

export function sweepAge(c: Compliance): string {
  if (!c.sweep.at) return 'no sweep yet';
  const s = c.sweep.ageSeconds ?? 0;
  const age = s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${Math.round(s / 3600)} h`;
  return `swept ${age} ago${c.sweep.stale ? ' (stale: is the timer running?)' : ''}`;
}

export function complianceBar(c: Compliance): HTMLElement {
  const bar = h('div', { class: 'progress compliance-bar', 'data-total': c.summary.clusters });
  for (const k of CLASSES) {
    const n = c.summary.counts[k] ?? 0;
    if (!n || !c.summary.clusters) continue;
    const seg = h('span', { class: `seg cls-${k}`, title: `${n} ${CLASS_LABEL[k] ?? k}` });
    seg.style.width = `${(n * 100) / c.summary.clusters}%`;
    bar.append(seg);
  }
  return bar;
}

export function complianceCard(c: Compliance): HTMLElement {
  const compliant = c.summary.counts.compliant ?? 0;
  return h(
    'section',
    { class: 'card compliance', 'data-policy': c.policy },
    h('h2', {}, link(complianceHref(c.policy), `${c.policy}`), h('small', {}, ` OSM ${c.targetVersion}`)),
    h(
      'p',
      { class: c.sweep.stale ? 'halted' : 'muted' },
      `${compliant}/${c.summary.clusters} compliant · ${sweepAge(c)}`,
    ),
    complianceBar(c),
    h(
      'ul',
      { class: 'legend classes' },
      ...CLASSES.map((k) =>
        h(
          'li',
          {},
          h('span', { class: `swatch cls-${k}` }),
          link(complianceHref(c.policy, k), CLASS_LABEL[k] ?? k, { 'data-status': k }),
          ' ',
          h('b', {}, c.summary.counts[k] ?? 0),
        ),
      ),
    ),
  );
}

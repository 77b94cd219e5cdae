/**
 * A progress bar per wave (and one for the whole rollout): stacked segments per cluster state, a legend
 * of their colours, and the counts line. "Done" counts the clusters that reached the target only; skipped
 * and cancelled clusters are counted apart (they did not get the policy's version).
 */
import { h } from './dom.js';
import { fullCounts, reached, segments, SEGMENTS, total } from './metrics.js';
import type { ClusterCounts } from './types.js';

export const LABEL: Record<keyof ClusterCounts, string> = {
  succeeded: 'reached the target',
  failed: 'failed',
  skipped: 'skipped',
  cancelled: 'cancelled',
  inProgress: 'in progress',
  awaitingApproval: 'awaiting approval',
  deferred: 'deferred (offline)',
  pending: 'pending',
};

export function progressBar(
  partial: Partial<ClusterCounts> | undefined,
  attrs: Record<string, string> = {},
): HTMLElement {
  const counts = fullCounts(partial);
  const bar = h('div', {
    class: 'progress',
    role: 'progressbar',
    'aria-valuemin': 0,
    'aria-valuemax': total(counts),
    'aria-valuenow': reached(counts),
    'data-done': reached(counts),
    'data-total': total(counts),
    ...attrs,
  });
  for (const seg of segments(counts)) {
    const el = h('span', { class: `seg seg-${seg.key}`, title: `${seg.count} ${LABEL[seg.key]}` });
    el.style.width = `${seg.percent}%`; // CSSOM, allowed by the style-src 'self' policy
    bar.append(el);
  }
  return bar;
}

/** What each colour of the bars means. */
export function barLegend(): HTMLElement {
  return h(
    'ul',
    { class: 'legend bar-legend', 'data-testid': 'bar-legend' },
    ...SEGMENTS.map((k) => h('li', {}, h('span', { class: `swatch seg-${k}` }), LABEL[k])),
  );
}

/** "3/10 done · 2 in progress · 1 failed · 1 skipped" (done: reached the target). */
export function countsLine(partial: Partial<ClusterCounts> | undefined): string {
  const c = fullCounts(partial);
  const parts = [`${reached(c)}/${total(c)} done`];
  for (const k of ['inProgress', 'awaitingApproval', 'deferred', 'failed', 'skipped', 'cancelled'] as const)
    if (c[k] > 0) parts.push(`${c[k]} ${LABEL[k]}`);
  return parts.join(' · ');
}

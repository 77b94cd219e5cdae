/** A progress bar per wave (and one for the whole rollout): stacked segments per cluster state. */
import { h } from './dom.js';
import { segments, settled, total } from './metrics.js';
import type { ClusterCounts } from './types.js';

const LABEL: Record<keyof ClusterCounts, string> = {
  succeeded: 'succeeded',
  failed: 'failed',
  skipped: 'skipped',
  cancelled: 'cancelled',
  inProgress: 'in progress',
  awaitingApproval: 'awaiting approval',
  deferred: 'deferred',
  pending: 'pending',
};

export function progressBar(counts: ClusterCounts, attrs: Record<string, string> = {}): HTMLElement {
  const bar = h('div', {
    class: 'progress',
    role: 'progressbar',
    'aria-valuemin': 0,
    'aria-valuemax': total(counts),
    'aria-valuenow': settled(counts),
    'data-done': settled(counts),
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

/** "3/10 done · 2 in progress · 1 failed" */
export function countsLine(c: ClusterCounts): string {
  const parts = [`${settled(c)}/${total(c)} done`];
  for (const k of ['inProgress', 'awaitingApproval', 'deferred', 'failed', 'skipped', 'cancelled'] as const)
    if (c[k] > 0) parts.push(`${c[k]} ${LABEL[k]}`);
  return parts.join(' · ');
}

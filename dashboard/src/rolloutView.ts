/**
 * `#/rollouts/<id>`: state and commands, the failure rate against the policy's threshold, a progress bar per
 * wave, and the clusters that failed or wait for approval with their reasons. Refreshes while it moves.
 */
import { ApiError, api } from './api.js';
import { button, h, link, section, table, when } from './dom.js';
import { clusterPath, commandsFor, failureRate, fullCounts, isMoving } from './metrics.js';
import { clusterHref } from './router.js';
import type { Command, Rollout, RolloutCluster } from './types.js';
import type { Rendered, ViewContext } from './view.js';
import { barLegend, countsLine, progressBar } from './waveBars.js';

const LABELS: Record<Command, string> = {
  pause: 'Pause',
  resume: 'Resume',
  cancel: 'Cancel',
  'retry-failed': 'Retry failed',
  approve: 'Approve all',
};

export async function rolloutView(id: string, ctx: ViewContext): Promise<Rendered> {
  const read = await api.rollout(id);
  // A state this page does not know (a newer API) may come without counts or waves: shown as empty.
  const rollout = { ...read, counts: fullCounts(read.counts), waves: read.waves ?? [] };
  const [threshold, failed, awaiting] = await Promise.all([
    api.policy(rollout.policy).then(
      (p) => p.rollout.maxFailurePercent,
      () => undefined, // a deleted policy: the rate is shown without its threshold
    ),
    rollout.counts.failed ? api.rolloutClusters(id, 'Failed') : { items: [] },
    rollout.counts.awaitingApproval ? api.rolloutClusters(id, 'AwaitingApproval') : { items: [] },
  ]);
  const run = (command: Command, body?: unknown) => async () => {
    if (command === 'cancel' && !confirm(`Cancel rollout ${id}?`)) return;
    try {
      await api.command(id, command, body);
      ctx.notify(`${LABELS[command]}: done`, 'info');
    } catch (err) {
      ctx.notify(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err));
    }
    ctx.refresh();
  };
  const node = h(
    'div',
    {},
    header(rollout, run),
    section('Failure rate', failureGauge(rollout, threshold)),
    section('Waves', ...rollout.waves.map((w) => waveRow(w.name, w.state, w.counts)), barLegend()),
    clusterList('Failed clusters', failed.items, 'failed'),
    clusterList('Waiting for approval', awaiting.items, 'awaiting', (c) =>
      button('Approve', run('approve', { clusters: [c.id] }), { class: 'small' }),
    ),
  );
  const refreshMs = !isMoving(rollout.state)
    ? undefined
    : rollout.state === 'Pending' || rollout.state === 'Running'
      ? 2_000
      : 10_000;
  return { node, ...(refreshMs ? { refreshMs } : {}) };
}

type Run = (command: Command, body?: unknown) => () => Promise<void>;

function header(r: Rollout, run: Run): HTMLElement {
  const allowed = new Set(commandsFor(r));
  const commands = (Object.keys(LABELS) as Command[]).map((c) =>
    button(LABELS[c], run(c, c === 'approve' ? { all: true } : undefined), {
      'data-command': c,
      disabled: !allowed.has(c),
    }),
  );
  return h(
    'section',
    { class: 'card head' },
    h('p', {}, link('#/', '← fleet')),
    h(
      'h1',
      {},
      `Rollout ${r.id} `,
      h(
        'span',
        { class: `state state-${String(r.state).toLowerCase()}`, 'data-testid': 'rollout-state' },
        r.state,
      ),
    ),
    h(
      'p',
      { class: 'muted' },
      `policy ${r.policy} · trigger ${r.trigger} · ${r.clusterCount} clusters · created ${when(r.createdAt)}` +
        (r.finishedAt ? ` · finished ${when(r.finishedAt)}` : '') +
        (r.soakUntil ? ` · soaking until ${when(r.soakUntil)}` : ''),
    ),
    r.haltedReason ? h('p', { class: 'halted' }, `Halted: ${r.haltedReason}`) : null,
    planningLine(r),
    progressBar(r.counts, { 'data-testid': 'rollout-progress' }),
    h('p', {}, countsLine(r.counts)),
    h('div', { class: 'commands' }, ...commands),
  );
}

function failureGauge(r: Rollout, threshold: number | undefined): HTMLElement {
  const rate = failureRate(r.counts, threshold);
  const fill = h('span', { class: `gauge-fill${rate.breached ? ' breached' : ''}` });
  fill.style.width = `${Math.min(100, rate.percent)}%`;
  const gauge = h('div', { class: 'gauge', 'data-testid': 'failure-gauge' }, fill);
  if (threshold !== undefined) {
    const mark = h('span', { class: 'gauge-mark', title: `threshold ${threshold}%` });
    mark.style.left = `${Math.min(100, threshold)}%`;
    gauge.append(mark);
  }
  return h(
    'div',
    {},
    gauge,
    h(
      'p',
      { class: rate.breached ? 'halted' : 'muted' },
      `${rate.percent}% failed (${rate.failed} of ${rate.dispatched} dispatched) · threshold ` +
        (threshold === undefined ? 'unknown (policy not found)' : `${threshold}%`),
    ),
  );
}

function waveRow(name: string, state: string, counts: Rollout['counts']): HTMLElement {
  return h(
    'div',
    { class: 'wave', 'data-wave': name },
    h('div', { class: 'wave-head' }, h('b', {}, name), ` ${state} · ${countsLine(counts)}`),
    progressBar(counts),
  );
}

function clusterList(
  title: string,
  rows: RolloutCluster[],
  kind: string,
  action?: (c: RolloutCluster) => Node,
): HTMLElement | null {
  if (rows.length === 0) return null;
  const body = rows.map((c) => {
    const path = clusterPath(c.id);
    return [
      path ? link(clusterHref(path), c.name) : c.name,
      c.wave ?? '—',
      `${c.from ?? '(none)'} → ${c.to ?? '(none)'}`,
      c.reason ?? '',
      c.message ?? '',
      ...(action ? [action(c)] : []),
    ];
  });
  const head = ['Cluster', 'Wave', 'Version', 'Reason', 'Message', ...(action ? [''] : [])];
  return section(`${title} (${rows.length})`, table(head, body, { class: `clusters ${kind}` }));
}

/** While Planning: how far the planning worker got; after a failed planning: why. */
function planningLine(r: Rollout): HTMLElement | null {
  const p = r.planning;
  if (p?.error) return h('p', { class: 'halted' }, `Planning failed: ${p.error}`);
  if (r.state !== 'Planning') return null;
  const text =
    !p || p.total === null
      ? 'Planning: sweeping the fleet'
      : `Planning: ${p.written} of ${p.total} cluster rows written`;
  return h('p', { 'data-testid': 'rollout-planning' }, text);
}

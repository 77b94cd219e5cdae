import type { ClusterCounts } from '../shared/domain/rolloutCounts.js';

/** Renders a rollout's progress per wave as bars in the terminal (redrawn in place on a TTY, one line per change otherwise). */

type Counts = ClusterCounts;

export interface RolloutViewLike {
  id: string;
  state: string;
  waves: { name: string; state: string; counts: Counts }[];
  counts: Counts;
  haltedReason?: string;
}

const WIDTH = 30;

function bar(c: Counts): string {
  const total = Object.values(c).reduce((a, b) => a + b, 0) || 1;
  const done = c.succeeded + c.failed + c.skipped + c.cancelled;
  const filled = Math.round((done / total) * WIDTH);
  return `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${String(done).padStart(4)}/${total}`;
}

function describe(c: Counts): string {
  const parts = [`${c.succeeded} ok`];
  if (c.inProgress) parts.push(`${c.inProgress} running`);
  if (c.failed) parts.push(`${c.failed} failed`);
  if (c.awaitingApproval) parts.push(`${c.awaitingApproval} awaiting CRD approval`);
  if (c.deferred) parts.push(`${c.deferred} deferred (offline)`);
  if (c.skipped) parts.push(`${c.skipped} skipped`);
  return parts.join(', ');
}

export function renderRollout(r: RolloutViewLike): string[] {
  return [
    `rollout ${r.id}: ${r.state}${r.haltedReason ? ` (${r.haltedReason})` : ''}`,
    ...r.waves.map(
      (w) => `  ${w.name.padEnd(10)} ${bar(w.counts)}  ${w.state.padEnd(9)} ${describe(w.counts)}`,
    ),
  ];
}

export class ProgressView {
  private lastLines: string[] = [];
  constructor(private readonly out: NodeJS.WriteStream = process.stdout) {}

  show(r: RolloutViewLike): void {
    const lines = renderRollout(r);
    if (lines.join('\n') === this.lastLines.join('\n')) return;
    if (this.out.isTTY && this.lastLines.length) this.out.write(`\x1b[${this.lastLines.length}A\x1b[0J`);
    this.out.write(`${lines.join('\n')}\n`);
    this.lastLines = lines;
  }
}

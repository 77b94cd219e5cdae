import type { ClusterCounts } from '../shared/domain/rolloutCounts.js';

/** Renders a rollout's progress per wave as bars in the terminal (redrawn in place on a TTY, one line per change otherwise). */

type Counts = ClusterCounts;

export interface RolloutViewLike {
  id: string;
  state: string;
  waves: { name: string; state: string; counts: Counts }[];
  counts: Counts;
  haltedReason?: string;
  /** While a finished wave soaks: when the next wave starts. */
  soakUntil?: string;
  /** The planning worker's progress (fleet-wide rollouts started through the API). */
  planning?: { written: number; total: number | null; error?: string };
}

/** `planning: 2000/10000 cluster rows written` while Planning; the reason when planning failed. */
function planningLine(r: RolloutViewLike): string[] {
  const p = r.planning;
  if (!p) return [];
  if (p.error) return [`  planning failed: ${p.error}`];
  if (r.state !== 'Planning') return [];
  return [
    p.total === null
      ? '  planning: sweeping the fleet (Resource Graph)'
      : `  planning: ${p.written}/${p.total} cluster rows written`,
  ];
}

const SKIP_WORDS: Readonly<Record<string, string>> = {
  Excluded: 'excluded by the policy',
  UnsupportedDistribution: 'on a distribution OSM does not support',
  DuplicateOsmExtensions: 'with two OSM extensions',
  UnknownInstalledVersion: 'on a version not in the catalog',
  DowngradeRefused: 'on a newer version (no downgrade)',
  MajorUpgradeRefused: 'needing a major upgrade (refused by the policy)',
  ClusterOffline: 'offline',
  ClusterExpired: 'expired (reconnect them)',
  AwaitingCrdApproval: 'awaiting the manual CRD step',
};

/** A plan's skip counts in words: "3 offline, 1 awaiting the manual CRD step" ("none" when empty). */
export function skipWords(skipped: Readonly<Record<string, number | undefined>>): string {
  const parts = Object.entries(skipped)
    .filter(([, n]) => n)
    .map(([reason, n]) => `${n} ${SKIP_WORDS[reason] ?? reason}`);
  return parts.length ? parts.join(', ') : 'none';
}

/** `2026-12-03T10:42:07.123Z` -> `10:42:07 UTC`. */
function clock(iso: string): string {
  return `${iso.slice(11, 19)} UTC`;
}

const WIDTH = 30;

function bar(c: Counts): string {
  const total = Object.values(c).reduce((a, b) => a + b, 0);
  const done = c.succeeded + c.failed + c.skipped + c.cancelled;
  const filled = Math.round((done / (total || 1)) * WIDTH);
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
    ...planningLine(r),
    ...r.waves.map((w) => {
      const state = w.state === 'Soaking' && r.soakUntil ? `Soaking until ${clock(r.soakUntil)}` : w.state;
      return `  ${w.name.padEnd(10)} ${bar(w.counts)}  ${state.padEnd(9)} ${describe(w.counts)}`;
    }),
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

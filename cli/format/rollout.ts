/** Text for rollouts: the list, the one-line summary, and the clusters that failed or wait for approval. */
import { renderRollout } from '../../local/progressView.js';
import type { ApiClient } from '../apiClient.js';
import { shortId } from '../clusterRef.js';
import type { RolloutClusterRow, RolloutView } from '../types.js';
import { fromTo, table, when } from './table.js';

export function rolloutTable(items: RolloutView[]): string {
  return table(
    ['ID', 'POLICY', 'STATE', 'TRIGGER', 'CLUSTERS', 'CREATED'],
    items.map((r) => [r.id, r.policy, r.state, r.trigger, r.clusterCount, when(r.createdAt)]),
  );
}

export function rolloutBars(r: RolloutView): string {
  return renderRollout(r).join('\n');
}

export function summaryLine(r: RolloutView): string {
  const c = r.counts;
  const parts = [`${c.succeeded} succeeded`, `${c.failed} failed`, `${c.skipped} skipped`];
  if (c.pending || c.inProgress) parts.push(`${c.pending} pending`, `${c.inProgress} in progress`);
  if (c.deferred) parts.push(`${c.deferred} deferred (offline)`);
  if (c.awaitingApproval) parts.push(`${c.awaitingApproval} awaiting CRD approval`);
  if (c.cancelled) parts.push(`${c.cancelled} cancelled`);
  const halted = r.haltedReason ? ` (${r.haltedReason})` : '';
  return `rollout ${r.id} of policy ${r.policy}: ${r.state}${halted}; ${parts.join(', ')}`;
}

export function rowTable(rows: RolloutClusterRow[]): string {
  return table(
    ['CLUSTER', 'WAVE', 'STATE', 'FROM -> TO', 'REASON', 'MESSAGE'],
    rows.map((x) => [shortId(x.id), x.wave, x.state, fromTo(x.from, x.to), x.reason, x.message]),
  );
}

/** The summary after a watch or a status: counts, then the clusters that need a look, then what to do next. */
export async function printOutcome(client: ApiClient, r: RolloutView): Promise<void> {
  console.log(`\nsummary: ${summaryLine(r)}`);
  for (const [state, count, hint] of [
    ['Failed', r.counts.failed, `osm-fleet rollout retry-failed ${r.id}`],
    [
      'AwaitingApproval',
      r.counts.awaitingApproval,
      `after the manual CRD step: osm-fleet rollout approve ${r.id} --all`,
    ],
  ] as const) {
    if (!count) continue;
    const { items } = await client.list<RolloutClusterRow>(
      `/rollouts/${encodeURIComponent(r.id)}/clusters`,
      { state },
      20,
    );
    console.log(`\n${state} (${count}):\n${rowTable(items)}`);
    if (count > items.length) console.log(`  … osm-fleet rollout clusters ${r.id} --state ${state} --all`);
    console.log(`next: ${hint}`);
  }
}

/**
 * `osm-fleet compliance [policy]`: how much of the fleet matches each policy, from the last sweep. Without
 * a policy, one line per policy; with one, its counts, per subscription, and the clusters not compliant
 * (or those of `--status`).
 */
import type { Command } from 'commander';
import { ctxOf, limitOf, moreHint, printJson, type Ctx } from '../context.js';
import { table } from '../format/table.js';
import type { ComplianceItem, ComplianceView, PolicyView } from '../types.js';
import { policyPath } from './policy.js';

export const STATUS_COLUMNS = [
  'compliant',
  'drifted',
  'behind',
  'missing',
  'notEligible',
  'failed',
  'other',
] as const;

export function sweepText(v: ComplianceView): string {
  if (!v.sweep.at) return 'no sweep yet (the timer has not filled the inventory)';
  const age = `swept ${ageText(v.sweep.ageSeconds ?? 0)} ago`;
  return v.sweep.stale
    ? `${age} - STALE (older than ${ageText(v.sweep.maxAgeSeconds)}; is the timer running?)`
    : age;
}

export function ageText(seconds: number): string {
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  return `${Math.round(seconds / 3600)}h`;
}

/** One line per policy. */
export function complianceTable(views: readonly ComplianceView[]): string {
  return table(
    ['POLICY', 'VERSION', 'CLUSTERS', ...STATUS_COLUMNS.map((s) => s.toUpperCase()), 'SWEPT'],
    views.map((v) => [
      v.policy,
      v.targetVersion,
      v.summary.clusters,
      ...STATUS_COLUMNS.map((s) => v.summary.counts[s] ?? 0),
      v.sweep.at ? `${ageText(v.sweep.ageSeconds ?? 0)} ago${v.sweep.stale ? ' (stale)' : ''}` : 'never',
    ]),
  );
}

export function detail(item: ComplianceItem): string {
  if (item.status === 'behind') return `${item.version ?? '(none)'} > ${item.path.join(' > ')}`;
  if (item.status === 'drifted' && item.drift.length)
    return item.drift.map((d) => `${d.key}=${d.current ?? '(unset)'} (policy: ${d.desired})`).join(', ');
  return item.message ?? '';
}

export function complianceText(v: ComplianceView, items: readonly ComplianceItem[]): string {
  const c = v.summary.counts;
  const counts = STATUS_COLUMNS.map((s) => `${s} ${c[s] ?? 0}`).join(', ');
  const head = `policy ${v.policy} (OSM ${v.targetVersion}), ${v.summary.clusters} clusters targeted, ${sweepText(v)}\n${counts}`;
  const subs = Object.entries(v.bySubscription);
  const perSub =
    subs.length > 1
      ? `\n\n${table(
          ['SUBSCRIPTION', 'CLUSTERS', ...STATUS_COLUMNS.map((s) => s.toUpperCase())],
          subs.map(([sub, s]) => [sub, s.clusters, ...STATUS_COLUMNS.map((k) => s.counts[k] ?? 0)]),
        )}`
      : '';
  const list = items.length
    ? `\n\n${table(
        ['CLUSTER', 'STATUS', 'VERSION', 'REASON', 'DETAIL'],
        items.map((i) => [i.name, i.status, i.version ?? '(none)', i.reason, detail(i)]),
      )}`
    : '';
  return `${head}${perSub}${list}`;
}

async function onePolicy(ctx: Ctx, name: string, o: Options): Promise<void> {
  const path = `${policyPath(name)}/compliance`;
  const limit = limitOf(o);
  const query = {
    ...(o.status ? { status: o.status } : {}),
    ...(o.subscription ? { subscription: o.subscription } : {}),
  };
  const first = await ctx.client.get<ComplianceView>(path, { ...query, top: Math.min(limit ?? 1000, 1000) });
  const items = [...first.clusters.items];
  let token = first.clusters.continuationToken;
  while (token && (limit === undefined || items.length < limit)) {
    const next = await ctx.client.get<ComplianceView>(path, {
      ...query,
      top: 1000,
      continuationToken: token,
    });
    items.push(...next.clusters.items);
    token = next.clusters.continuationToken;
  }
  const shown = limit === undefined ? items : items.slice(0, limit);
  const more = !!token || shown.length < items.length;
  if (ctx.json) return printJson({ ...first, clusters: { items: shown, more } });
  const listed = o.status ? shown : shown.filter((i) => i.status !== 'compliant');
  console.log(complianceText(first, listed));
  moreHint(more, shown.length);
}

interface Options {
  status?: string;
  subscription?: string;
  top?: string;
  all?: boolean;
}

export function registerCompliance(program: Command): void {
  program
    .command('compliance')
    .description(
      'how much of the fleet matches each policy (from the last sweep); with a policy, its clusters',
    )
    .argument('[policy]', 'policy name (default: every policy, one line each)')
    .option(
      '--status <status>',
      'list only: compliant | drifted | behind | missing | notEligible | failed | other',
    )
    .option('--subscription <id>', 'list only the clusters of this subscription')
    .option('--top <n>', 'clusters to list (default 100)')
    .option('--all', 'list every cluster')
    .action(async (policy: string | undefined, o: Options, cmd: Command) => {
      const ctx = ctxOf(cmd);
      if (policy) return onePolicy(ctx, policy, o);
      const policies = await ctx.client.list<PolicyView>('/policies', {});
      const views = await Promise.all(
        policies.items.map((p) =>
          ctx.client.get<ComplianceView>(`${policyPath(p.name)}/compliance`, { top: 1 }),
        ),
      );
      if (ctx.json) return printJson(views.map(({ clusters: _c, ...v }) => v));
      console.log(views.length ? complianceTable(views) : 'no policies');
    });
}

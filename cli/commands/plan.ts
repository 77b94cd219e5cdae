/** `osm-fleet plan <policy>`: the dry run as a table (action, from -> to, path, wave, reason). */
import type { Command } from 'commander';
import { skipWords } from '../../local/progressView.js';
import { ctxOf, printJson } from '../context.js';
import { fromTo, table } from '../format/table.js';
import type { PlanView } from '../types.js';
import { policyPath } from './policy.js';

export function planText(plan: PlanView, all: boolean): string {
  const s = plan.summary;
  const head =
    `plan for policy ${plan.policy} (OSM ${plan.targetVersion}), ${s.clusters} clusters: ` +
    `install ${s.install}, upgrade ${s.upgrade}, reconfigure ${s.reconfigure}, no change ${s.noChange}` +
    `; skipped: ${skipWords(s.skipped)}`;
  const rows = plan.clusters.filter((c) => all || c.action !== 'noChange');
  if (!rows.length) return `${head}\n\nnothing to do`;
  const body = table(
    ['CLUSTER', 'ACTION', 'FROM -> TO', 'PATH', 'WAVE', 'REASON'],
    rows.map((c) => [
      c.name,
      c.action,
      fromTo(c.from, c.to),
      c.path.join(' > '),
      c.wave,
      c.message ? `${c.reason}: ${c.message}` : c.reason,
    ]),
  );
  const hidden = plan.clusters.length - rows.length;
  return `${head}\n\n${body}${hidden ? `\n(${hidden} clusters with no change hidden; --all shows them)` : ''}`;
}

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('dry run: what a rollout of the policy would do to each cluster now')
    .argument('<policy>', 'policy name')
    .option('--all', 'also list the clusters with no change')
    .action(async (policy: string, o: { all?: boolean }, cmd: Command) => {
      const ctx = ctxOf(cmd);
      const plan = await ctx.client.post<PlanView>(`${policyPath(policy)}/plan`);
      // A large fleet's plan comes page by page from the stored plan (docs/api.md).
      for (let token = plan.continuationToken; token && plan.planId;) {
        const page = await ctx.client.get<{ items: PlanView['clusters']; continuationToken?: string }>(
          `/plans/${encodeURIComponent(plan.planId)}/clusters`,
          { continuationToken: token },
        );
        plan.clusters.push(...page.items);
        token = page.continuationToken;
      }
      delete plan.continuationToken;
      if (ctx.json) return printJson(plan);
      console.log(planText(plan, !!o.all));
    });
}

/** `osm-fleet rollout start|list|status|clusters|pause|resume|cancel|retry-failed|approve`. */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { clusterArmId } from '../clusterRef.js';
import { ctxOf, limitOf, printList, positiveNumber, printJson, type Ctx } from '../context.js';
import { ExitWith, UsageError } from '../errors.js';
import { printOutcome, rolloutBars, rolloutTable, rowTable } from '../format/rollout.js';
import type { RolloutClusterRow, RolloutView } from '../types.js';
import { FAILED_STATES, rolloutPath, watchRollout } from '../watch.js';

export const CLUSTER_STATES = [
  'Pending',
  'InProgress',
  'AwaitingApproval',
  'Succeeded',
  'Failed',
  'Skipped',
  'Deferred',
  'Cancelled',
];

/** `--state failed` / `FAILED` / `Failed`: the API takes any casing; the CLI checks the name. */
export function clusterState(value: string): string {
  const match = CLUSTER_STATES.find((s) => s.toLowerCase() === value.toLowerCase());
  if (!match) throw new InvalidArgumentError(`one of ${CLUSTER_STATES.join(', ')}`);
  return match;
}

interface WatchOptions {
  watch?: boolean;
  interval: string;
}

function withWatch(cmd: Command): Command {
  return cmd
    .option('-w, --watch', 'follow the rollout with progress bars until it ends or only approvals remain')
    .option('--interval <seconds>', 'seconds between polls with --watch', '1');
}

/** Shows a rollout (bars, or JSON), follows it with --watch, and exits 1 when it ended Failed/Halted/Cancelled. */
export async function showRollout(ctx: Ctx, first: RolloutView, o: WatchOptions): Promise<void> {
  let r = first;
  if (o.watch) {
    const intervalMs = positiveNumber(o.interval, '--interval') * 1000;
    r = await watchRollout(ctx.client, first.id, { intervalMs, quiet: ctx.json, first });
    if (!ctx.json) await printOutcome(ctx.client, r);
  } else if (!ctx.json) {
    console.log(rolloutBars(r));
    await printOutcome(ctx.client, r);
  }
  if (ctx.json) printJson(r);
  if (FAILED_STATES.includes(r.state)) throw new ExitWith(1);
}

export function registerRollout(program: Command): void {
  const rollout = program.command('rollout').description('start, follow and steer rollouts');

  withWatch(rollout.command('start').description('start a rollout of a policy'))
    .argument('<policy>', 'policy name')
    .action(async (policy: string, o: WatchOptions, cmd: Command) => {
      const ctx = ctxOf(cmd);
      const r = await ctx.client.post<RolloutView>('/rollouts', { policy });
      if (!ctx.json)
        console.log(
          r.state === 'Planning'
            ? `rollout ${r.id} started (planning: the fleet is being swept and planned)`
            : `rollout ${r.id} started (${r.clusterCount ?? '?'} clusters)`,
        );
      if (!o.watch && !ctx.json) return console.log(`follow it: osm-fleet rollout status ${r.id} --watch`);
      await showRollout(ctx, r, o);
    });

  rollout
    .command('list')
    .description('list rollouts, newest first')
    .option('--top <n>', 'show at most n rollouts (default 100)')
    .option('--all', 'follow every page')
    .action(async (o: { top?: string; all?: boolean }, cmd: Command) => {
      const ctx = ctxOf(cmd);
      printList(
        ctx,
        await ctx.client.list<RolloutView>('/rollouts', {}, limitOf(o)),
        rolloutTable,
        'no rollouts',
      );
    });

  withWatch(
    rollout.command('status').description('a rollout: state, waves as progress bars, what needs a look'),
  )
    .argument('<id>', 'rollout id')
    .action(async (id: string, o: WatchOptions, cmd: Command) => {
      const ctx = ctxOf(cmd);
      await showRollout(ctx, await ctx.client.get<RolloutView>(rolloutPath(id)), o);
    });

  rollout
    .command('clusters')
    .description("a rollout's clusters, with their state and reason")
    .argument('<id>', 'rollout id')
    .addOption(
      new Option('--state <state>', `only clusters in this state (${CLUSTER_STATES.join(', ')})`).argParser(
        clusterState,
      ),
    )
    .option('--top <n>', 'show at most n clusters (default 100)')
    .option('--all', 'follow every page')
    .action(async (id: string, o: { state?: string; top?: string; all?: boolean }, cmd: Command) => {
      const ctx = ctxOf(cmd);
      const path = `${rolloutPath(id)}/clusters`;
      printList(
        ctx,
        await ctx.client.list<RolloutClusterRow>(path, { state: o.state }, limitOf(o)),
        rowTable,
        'no clusters',
      );
    });

  for (const [name, what] of [
    ['pause', 'pause: in-flight clusters finish, nothing new starts'],
    ['resume', 'resume a paused or halted rollout (a halted one accepts its failures so far)'],
    ['cancel', 'cancel: clusters not started are cancelled, in-flight ones finish'],
    ['retry-failed', 'put the failed clusters back to Pending; a halted or failed rollout runs again'],
  ] as const) {
    withWatch(rollout.command(name).description(what))
      .argument('<id>', 'rollout id')
      .action(async (id: string, o: WatchOptions, cmd: Command) => {
        const ctx = ctxOf(cmd);
        const r = await ctx.client.post<RolloutView>(`${rolloutPath(id)}/${name}`);
        if (!ctx.json) console.log(`rollout ${r.id}: ${name} accepted, now ${r.state}`);
        if (o.watch || ctx.json) await showRollout(ctx, r, o);
        else console.log(rolloutBars(r));
      });
  }

  withWatch(
    rollout
      .command('approve')
      .description('approve the CRD-changing hop of clusters awaiting approval (after the manual CRD step)'),
  )
    .argument('<id>', 'rollout id')
    .argument('[clusters...]', 'clusters to approve: <sub>/<rg>/<name> or ARM ids')
    .option('--all', 'approve every cluster awaiting approval')
    .action(async (id: string, clusters: string[], o: WatchOptions & { all?: boolean }, cmd: Command) => {
      if (!!o.all === clusters.length > 0) throw new UsageError('approve: give either cluster ids or --all');
      const ctx = ctxOf(cmd);
      const body = o.all ? { all: true } : { clusters: clusters.map(clusterArmId) };
      const r = await ctx.client.post<RolloutView>(`${rolloutPath(id)}/approve`, body);
      if (!ctx.json)
        console.log(`rollout ${r.id}: approved ${o.all ? 'all waiting clusters' : clusters.join(', ')}`);
      if (o.watch || ctx.json) await showRollout(ctx, r, o);
      else console.log(rolloutBars(r));
    });
}

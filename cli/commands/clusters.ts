/** `osm-fleet clusters list|show|install|upgrade|uninstall`. */
import type { Command } from 'commander';
import { clusterPath, resolveClusterArg, shortId } from '../clusterRef.js';
import { ctxOf, limitOf, printList, printJson } from '../context.js';
import { UsageError } from '../errors.js';
import { clusterTable, clusterText } from '../format/clusters.js';
import { fromTo } from '../format/table.js';
import type { ClusterView, HistoryEvent, OsmOperation, RolloutView } from '../types.js';
import { rolloutPath } from '../watch.js';
import { showRollout } from './rollout.js';

function settingsOf(pairs: string[], flag: string): Record<string, string> | undefined {
  if (!pairs.length) return undefined;
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i < 1) throw new UsageError(`${flag} ${p}: give key=value`);
    out[p.slice(0, i)] = p.slice(i + 1);
  }
  return out;
}

const collect = (v: string, prev: string[]) => [...prev, v];

interface OsmOptions {
  version?: string;
  policy?: string;
  set: string[];
  setProtected: string[];
  releaseTrain?: string;
  crdUpgrades?: string;
  includeUnsupportedDistribution?: boolean;
  watch?: boolean;
  interval: string;
}

function osmBody(o: OsmOptions, policyToo: boolean): Record<string, unknown> {
  if (!policyToo && !o.version) throw new UsageError('--version is required, e.g. --version 1.2.6');
  if (!!o.policy === !!o.version) throw new UsageError('give either --version or --policy');
  if (o.policy) {
    if (o.set.length || o.setProtected.length || o.crdUpgrades || o.releaseTrain)
      throw new UsageError(
        '--policy takes its settings from the policy: drop --set, --crd-upgrades, --release-train',
      );
    return { policy: o.policy };
  }
  if (o.crdUpgrades && !['allow', 'requireApproval'].includes(o.crdUpgrades))
    throw new UsageError('--crd-upgrades: allow or requireApproval');
  const settings = settingsOf(o.set, '--set');
  const protectedSettings = settingsOf(o.setProtected, '--set-protected');
  return {
    version: o.version,
    ...(o.releaseTrain ? { releaseTrain: o.releaseTrain } : {}),
    ...(settings ? { configurationSettings: settings } : {}),
    ...(protectedSettings ? { configurationProtectedSettings: protectedSettings } : {}),
    ...(o.crdUpgrades ? { crdUpgrades: o.crdUpgrades } : {}),
    ...(o.includeUnsupportedDistribution ? { includeUnsupportedDistributions: true } : {}),
  };
}

function osmCommand(clusters: Command, name: string, what: string, policyToo: boolean): void {
  const cmd = clusters
    .command(name)
    .description(what)
    .argument('<cluster>', 'a name as plan prints it, <subscriptionId>/<resourceGroup>/<name> or the ARM id')
    .option('--version <version>', 'OSM extension version, e.g. 1.2.6')
    .option('--set <key=value>', 'a configuration setting (repeatable)', collect, [])
    .option('--set-protected <key=value>', 'a protected setting, never shown back (repeatable)', collect, [])
    .option('--release-train <train>', 'stable (default), staging, pilot or preview')
    .option('--crd-upgrades <mode>', 'allow: skip the CRD approval (requireApproval by default)')
    .option('--include-unsupported-distribution', 'also on a distribution OSM does not support')
    .option('-w, --watch', 'follow the rollout it starts')
    .option('--interval <seconds>', 'seconds between polls with --watch', '1');
  if (policyToo) cmd.option('--policy <name>', 'apply a stored policy to this cluster instead of --version');
  cmd.action(async (cluster: string, o: OsmOptions, c: Command) => {
    const body = osmBody(o, policyToo);
    const ctx = ctxOf(c);
    const path = clusterPath(await resolveClusterArg(ctx.client, cluster));
    const op = (await ctx.client.request<OsmOperation>('PUT', `${path}/osm`, body)).body;
    if (ctx.json && !o.watch) return printJson(op);
    if (!ctx.json) {
      console.log(
        `${shortId(op.clusterId)}: ${op.action} ${fromTo(op.from, op.to)}${op.path.length ? ` via ${op.path.join(' > ')}` : ''}`,
      );
      // Held work (a cluster not Connected yet, a CRD hop awaiting approval) is accepted: say so first.
      if (op.state === 'Deferred' || op.state === 'AwaitingApproval')
        console.log(`${op.state}: ${op.message ?? 'held'}`);
      else if (op.message) console.log(op.message);
    }
    if (!op.rolloutId) return ctx.json ? printJson(op) : undefined;
    if (!o.watch)
      return console.log(`rollout ${op.rolloutId}: osm-fleet rollout status ${op.rolloutId} --watch`);
    await showRollout(ctx, await ctx.client.get<RolloutView>(rolloutPath(op.rolloutId)), o);
  });
}

export function registerClusters(program: Command): void {
  const clusters = program
    .command('clusters')
    .description('the fleet: list, inspect, one-off OSM operations');

  clusters
    .command('list')
    .description('clusters as last discovered')
    .option('--policy <name>', 'only clusters the policy targets')
    .option('--version <version>', 'only clusters on this OSM version')
    .option('--state <state>', 'Connected, Offline, Expired, Connecting or Removed')
    .option('--top <n>', 'show at most n clusters (default 100)')
    .option('--all', 'follow every page')
    .action(
      async (
        o: { policy?: string; version?: string; state?: string; top?: string; all?: boolean },
        cmd: Command,
      ) => {
        const ctx = ctxOf(cmd);
        const query = { policy: o.policy, osmVersion: o.version, state: o.state };
        printList(
          ctx,
          await ctx.client.list<ClusterView>('/clusters', query, limitOf(o)),
          clusterTable,
          'no clusters',
        );
      },
    );

  clusters
    .command('show')
    .description('a cluster and its history')
    .argument('<cluster>', 'a name as plan prints it, <subscriptionId>/<resourceGroup>/<name> or the ARM id')
    .option('--history <n>', 'events of history to show (default 20)')
    .option('--all', 'the whole history')
    .action(async (cluster: string, o: { history?: string; all?: boolean }, cmd: Command) => {
      const ctx = ctxOf(cmd);
      const path = clusterPath(await resolveClusterArg(ctx.client, cluster));
      const limit = limitOf({ top: o.history, all: o.all }, 20);
      const view = await ctx.client.get<ClusterView>(path);
      const { items, more } = await ctx.client.list<HistoryEvent>(`${path}/history`, {}, limit);
      if (ctx.json) return printJson({ ...view, history: items });
      console.log(clusterText(view, items, more));
    });

  osmCommand(clusters, 'install', 'install OSM on one cluster (a one-cluster rollout)', false);
  osmCommand(
    clusters,
    'upgrade',
    'upgrade or reconfigure OSM on one cluster, to --version or a --policy',
    true,
  );

  clusters
    .command('uninstall')
    .description("delete the cluster's OSM extension")
    .argument('<cluster>', 'a name as plan prints it, <subscriptionId>/<resourceGroup>/<name> or the ARM id')
    .action(async (cluster: string, _o: unknown, cmd: Command) => {
      const ctx = ctxOf(cmd);
      const path = clusterPath(await resolveClusterArg(ctx.client, cluster));
      const op = (await ctx.client.request<OsmOperation>('DELETE', `${path}/osm`)).body;
      if (ctx.json) return printJson(op);
      console.log(
        `${shortId(op.clusterId)}: uninstall of OSM ${op.from ?? ''} started (operation ${op.operationId ?? '?'})`,
      );
      // Held work (a cluster not Connected yet, a CRD hop awaiting approval) is accepted: say so first.
      if (op.state === 'Deferred' || op.state === 'AwaitingApproval')
        console.log(`${op.state}: ${op.message ?? 'held'}`);
      else if (op.message) console.log(op.message);
    });
}

/**
 * bench:rollout: osm-fleet against two peers on one emulated fleet, in one run.
 *   npm run bench:rollout -- --clusters 10000 --subscriptions 10 [--install-ms 3000] [--sample 20]
 *     [--check-delay 4] [--no-peers]
 * Fleet: N connected clusters over S subscriptions (aks/eks/gke/rancher_rke, all Connected); 80 % without
 * OSM (install 1.2.6), 20 % at 1.2.3 (one-hop upgrade to 1.2.6): one hop per cluster. Emulator defaults
 * otherwise (Azure-like throttling, install time ± 1 s jitter). The state is reset and re-seeded before each
 * peer. Prints the lower bound, then one table with every contender's figures.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { runNaivePeer } from './peers/naivePeer.js';
import type { PeerResult } from './peers/peerResult.js';
import { runSequentialPeer } from './peers/sequentialPeer.js';
import { benchEnvironment } from './support/benchEnvironment.js';
import { startBenchStack, type BenchStack } from './support/benchStack.js';
import { runFleetRollout } from './support/fleetRollout.js';
import { lowerBound, readBound } from './support/lowerBound.js';
import { printResults } from './support/printResults.js';

const { values } = parseArgs({
  options: {
    clusters: { type: 'string', default: '10000' },
    subscriptions: { type: 'string', default: '10' },
    'install-ms': { type: 'string', default: '3000' },
    sample: { type: 'string', default: '20' },
    'check-delay': { type: 'string', default: '4' },
    'no-peers': { type: 'boolean', default: false },
  },
});
const N = Number(values.clusters);
const S = Number(values.subscriptions);
const installMs = Number(values['install-ms']);

async function seed(stack: BenchStack): Promise<{ subscriptions: string[]; ids: string[] }> {
  const r = await stack.control.seed({
    seed: 7,
    clusters: N,
    subscriptions: S,
    distributions: { aks: 3, eks: 1, gke: 1, rancher_rke: 1 },
    osm: { fraction: 0.2, versions: { '1.2.3': 1 } },
    offlineFraction: 0,
    expiredFraction: 0,
  });
  return {
    subscriptions: r.subscriptions,
    ids: [...stack.emulator.state.clusters.values()].map((c) => c.id),
  };
}

const environment = benchEnvironment(); // before anything of the bench runs: the machine's own load
const stack = await startBenchStack({ installMs });
try {
  const cfg = stack.emulator.context.config;
  const { subscriptions, ids } = await seed(stack);
  const perSub = subscriptions.map(
    (sub) => stack.emulator.state.clustersBySubscription.get(sub.toLowerCase())?.size ?? 0,
  );
  console.log(
    `bench:rollout: ${N} clusters over ${S} subscriptions (per subscription ${Math.min(...perSub)}..${Math.max(...perSub)}), ` +
      `install ${cfg.installMs} ± ${cfg.installJitterMs} ms, writes ${cfg.throttling.write.burst} burst / ` +
      `${cfg.throttling.write.perSecond}/s, reads ${cfg.throttling.read.burst} / ${cfg.throttling.read.perSecond}/s, ` +
      `check delay ${values['check-delay']} s, ${process.version}`,
  );
  const bound = lowerBound({
    writesPerSubscription: perSub,
    burst: cfg.throttling.write.burst,
    refillPerSecond: cfg.throttling.write.perSecond,
    installMs: cfg.installMs,
    canaryInstallMs: cfg.installMs,
    soakMs: 0,
  });
  console.log(`lower bound: ${bound.formula}`);

  const host = await stack.startHost(subscriptions, {
    FLEET_CHECK_DELAY_SECONDS: String(values['check-delay']),
  });
  const ours = await runFleetRollout(stack, host, N, 60 * 60_000);
  await host.stop();
  const rows: PeerResult[] = [ours.result];
  const readsPerHop = ours.result.armReads / Math.max(1, ours.hops);
  console.log(
    `osm-fleet: ${ours.hops} PUTs for ${ours.result.clusters} clusters; last operation ended at ` +
      `${(ours.opsEndMs / 1000).toFixed(1)} s; host requests ${JSON.stringify(ours.hostCounts)}`,
  );
  const c = ours.cpu;
  console.log(
    `CPU during the rollout: host ${c.host.toFixed(1)} s, Azurite tables ${c.azuriteTable.toFixed(1)} s + queues ${c.azuriteQueue.toFixed(1)} s, emulator + driver ` +
      `${c.emulator.toFixed(1)} s over ${(ours.result.makespanMs / 1000).toFixed(1)} s (2 cores shared); load ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
  );
  const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const b = ours.breakdown;
  const hops = Math.max(1, ours.hops);
  console.log(
    `environment: ${environment}; during the run min/median/max ${[ours.load.min, ours.load.median, ours.load.max].map((l) => l.toFixed(2)).join('/')}`,
  );
  console.log(
    `time: POST answered in ${(ours.postMs / 1000).toFixed(3)} s; planning ${sec(ours.planningMs)}; makespan ` +
      `${sec(ours.result.makespanMs)}: to the first PUT ${sec(ours.dispatchMs)}, ARM throttling (429s answered) ` +
      `${sec(b.throttledMs)}, installs in flight ${sec(b.installingMs)}, idle ${sec(b.idleMs)} (1-s samples)`,
  );
  console.log(
    `per cluster-hop: ${((ours.result.tableOps ?? 0) / hops).toFixed(1)} Table requests, ` +
      `${((ours.result.queueMessages ?? 0) / hops).toFixed(1)} queue messages, host CPU ${((c.host * 1000) / hops).toFixed(1)} ms, ` +
      `Azurite tables CPU ${((c.azuriteTable * 1000) / hops).toFixed(1)} ms`,
  );
  console.log(
    `read bucket alone at the measured ${readsPerHop.toFixed(2)} reads per hop: ` +
      `${(readBound(perSub, readsPerHop, cfg.throttling.read.burst, cfg.throttling.read.perSecond) / 1000).toFixed(1)} s ` +
      `(+ installs); at 3 reads per hop: ${(readBound(perSub, 3, cfg.throttling.read.burst, cfg.throttling.read.perSecond) / 1000).toFixed(1)} s`,
  );

  if (!values['no-peers']) {
    await stack.control.reset();
    await seed(stack);
    const sample = ids.slice(0, Number(values.sample));
    console.log(`peer (a): sequential beginCreateAndWait on ${sample.length} clusters ...`);
    rows.push(await runSequentialPeer(stack.emulator, stack.control, sample, N));
    await stack.control.reset();
    await seed(stack);
    console.log(`peer (b): Promise.all of ${ids.length} beginCreateAndWait ...`);
    rows.push(await runNaivePeer(stack.emulator, stack.control, ids));
  }
  console.log(`\nlower bound ${(bound.ms / 1000).toFixed(1)} s = ${bound.formula}`);
  printResults(rows, bound.ms);
} finally {
  await stack.stop();
}

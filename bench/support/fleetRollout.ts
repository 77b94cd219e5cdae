/**
 * osm-fleet's side of bench:rollout: a policy with a canary wave (10 clusters, soak 0) and then the rest
 * (maxParallel 1,000, the policy schema's ceiling: 1,000 hops of ~3 s in flight allow ~300 PUTs/s, above 10
 * subscriptions' 100 writes/s), one rollout started through the API, followed until it ends. Figures:
 * makespan (the rollout's own startedAt -> finishedAt), emulator-side ARM counts, the host's own
 * Table/Queue/ARM request counts (countRequests.ts), its peak RSS, failed clusters, CPU per process.
 */
import type { PeerResult, Stats } from '../peers/peerResult.js';
import { armDiff } from '../peers/peerResult.js';
import { TARGET } from '../peers/peerClient.js';
import { loadavg } from 'node:os';
import { api, cpuSecondsOf, sleep, type BenchHost, type BenchStack } from './benchStack.js';
import { spread, timeBreakdown, type Breakdown, type Sample, type Spread } from './timeBreakdown.js';

/** The policy schema's ceiling for a wave's maxParallel. */
const MAX_PARALLEL = 1000;
const FINAL = new Set(['Succeeded', 'Failed', 'Cancelled', 'Halted']);

export interface FleetRun {
  result: PeerResult;
  hostCounts: Record<string, number>;
  hops: number;
  rollout: { state: string; counts: Record<string, number> };
  failures: Record<string, number>;
  opsEndMs: number;
  /** CPU seconds used during the rollout by the host, Azurite and this process (emulator + driver). */
  cpu: { host: number; azuriteTable: number; azuriteQueue: number; emulator: number };
  /** The POST's answer time and the planning worker's time, before the makespan starts. */
  postMs: number;
  planningMs: number;
  /** From the rollout's start to its first PUT accepted by the emulator. */
  dispatchMs: number;
  /** The makespan by what held it (timeBreakdown.ts). */
  breakdown: Breakdown;
  /** 1-min load average sampled every second from the POST to the end. */
  load: Spread;
}

export async function runFleetRollout(
  stack: BenchStack,
  host: BenchHost,
  clusters: number,
  timeoutMs: number,
): Promise<FleetRun> {
  await api(host.url, 'PUT', '/api/policies/bench', {
    osm: { version: TARGET },
    rollout: {
      waves: [
        { name: 'canary', count: 10, maxParallel: 10, soakMinutes: 0 },
        { name: 'rest', percent: 100, maxParallel: Math.min(clusters, MAX_PARALLEL), soakMinutes: 0 },
      ],
      maxFailurePercent: 5,
    },
  });
  const before: Stats = await stack.control.stats();
  await sleep(1100); // one flush of the host's counters
  const countsBefore = host.counts();
  const cpu0 = {
    host: host.cpuSeconds(),
    azuriteTable: cpuSecondsOf(stack.azurite.pids.table),
    azuriteQueue: cpuSecondsOf(stack.azurite.pids.queue),
    self: process.cpuUsage(),
  };
  const tPost = Date.now();
  const created = await api(host.url, 'POST', '/api/rollouts', { policy: 'bench' });
  const id = created.id as string;
  const postMs = Date.now() - tPost;
  console.log(`  POST /api/rollouts answered after ${(postMs / 1000).toFixed(3)} s (${created.state})`);
  const loads: number[] = [loadavg()[0]!];
  const samples: Sample[] = [];
  let view = created;
  // Planning (issue 17): the planning worker sweeps and writes the rows; the makespan starts after it.
  while (view.state === 'Planning') {
    if (Date.now() - tPost > timeoutMs) throw new Error(`rollout ${id} still Planning after ${timeoutMs} ms`);
    await sleep(1000);
    loads.push(loadavg()[0]!);
    view = await api(host.url, 'GET', `/api/rollouts/${id}`);
  }
  const planning = view.planning as { finishedAt?: string | null } | undefined;
  const plannedMs = planning?.finishedAt
    ? Date.parse(planning.finishedAt) - Date.parse(String(view.createdAt))
    : 0;
  console.log(
    `  planned ${String(view.clusterCount)} clusters in ${(plannedMs / 1000).toFixed(1)} s (rollout ${String(view.state)})`,
  );
  // GET /api/rollouts/{id} reads every row of the rollout: polled every 15 s only (at 0.5 s it was a load of
  // its own), and every second once the emulator has seen every PUT and no operation is left in flight.
  // The makespan is the rollout's own startedAt -> finishedAt, whatever the polling.
  const total = view.clusterCount as number;
  let lastView = Date.now();
  const end = Date.now() + timeoutMs;
  while (!FINAL.has(view.state as string)) {
    if (Date.now() > end)
      throw new Error(`rollout ${id} not done after ${timeoutMs} ms: ${JSON.stringify(view.counts)}`);
    await sleep(1000);
    const s = await stack.control.stats();
    loads.push(loadavg()[0]!);
    samples.push({ atMs: Date.now(), throttled429: s.throttled429, inFlight: s.inFlightOperations });
    const settled = s.operationsStarted - before.operationsStarted >= total && s.inFlightOperations === 0;
    if (!settled && Date.now() - lastView < 15_000) continue;
    lastView = Date.now();
    view = await api(host.url, 'GET', `/api/rollouts/${id}`);
    const c = view.counts;
    console.log(
      `  ${view.state}: ${c.succeeded} succeeded, ${c.inProgress} in progress, ${c.pending} pending, ` +
        `${c.failed} failed; ${s.operationsSucceeded - before.operationsSucceeded} operations done; ` +
        `host RSS ${host.memory().rssMiB.toFixed(0)} MiB`,
    );
  }
  const after = await stack.control.stats();
  const self = process.cpuUsage(cpu0.self);
  const cpu = {
    host: host.cpuSeconds() - cpu0.host,
    azuriteTable: cpuSecondsOf(stack.azurite.pids.table) - cpu0.azuriteTable,
    azuriteQueue: cpuSecondsOf(stack.azurite.pids.queue) - cpu0.azuriteQueue,
    emulator: (self.user + self.system) / 1e6,
  };
  await sleep(1500);
  const counts = host.counts();
  const hostCounts: Record<string, number> = {};
  for (const [k, v] of Object.entries(counts)) hostCounts[k] = v - (countsBefore[k] ?? 0);
  const sum = (prefix: string) =>
    Object.entries(hostCounts)
      .filter(([k]) => k.startsWith(prefix))
      .reduce((a, [, v]) => a + v, 0);
  const failures = await failureReasons(host.url, id);
  const startedMs = Date.parse(view.startedAt as string);
  let opsEndMs = 0;
  let firstPutMs = Infinity;
  for (const op of stack.emulator.state.operations.values()) {
    if (op.endedMs && op.startedMs >= startedMs) opsEndMs = Math.max(opsEndMs, op.endedMs);
    if (op.startedMs >= startedMs) firstPutMs = Math.min(firstPutMs, op.startedMs);
  }
  // Samples within the makespan only (the loop also runs a little past the end).
  const finishedMs = Date.parse(view.finishedAt as string);
  const inRun = samples.filter((x) => x.atMs >= startedMs && x.atMs <= finishedMs + 1000);
  const hops = after.operationsStarted - before.operationsStarted;
  return {
    result: {
      name: 'osm-fleet (one host process)',
      clusters: view.clusterCount as number,
      makespanMs: Date.parse(view.finishedAt as string) - startedMs,
      note: `rollout ${id} ${view.state}; from the POST to done ${((Date.now() - tPost) / 1000).toFixed(1)} s`,
      ...armDiff(before, after),
      failed: (view.counts.failed as number) ?? 0,
      errors: failures,
      tableOps: sum('table:'),
      queueMessages: hostCounts['queue:send'] ?? 0,
      hostRssMiB: host.memory().hwmMiB,
    },
    hostCounts,
    hops,
    rollout: { state: view.state as string, counts: view.counts as Record<string, number> },
    failures,
    opsEndMs: opsEndMs - startedMs,
    cpu,
    postMs,
    planningMs: plannedMs,
    dispatchMs: Number.isFinite(firstPutMs) ? firstPutMs - startedMs : 0,
    breakdown: timeBreakdown(inRun),
    load: spread(loads),
  };
}

async function failureReasons(url: string, id: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const state of ['Failed', 'Skipped', 'Deferred']) {
    const page = await api(url, 'GET', `/api/rollouts/${id}/clusters?state=${state}&top=1000`);
    for (const row of page.items as { reason?: string }[]) {
      const k = `${state}:${row.reason ?? '?'}`;
      out[k] = (out[k] ?? 0) + 1;
    }
  }
  return out;
}

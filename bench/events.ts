/**
 * bench:events: new clusters onboarded without a connect event (issue 12 D). Emulator (in this process) +
 * Azurite + one host process (default FLEET_CHECK_DELAY_SECONDS 15, the real every-minute reconcile timer);
 * a policy `autoOnboard: true` (OSM 1.2.6, every cluster); the host's webhook subscribed to the emulator's
 * Event Grid, beside a probe subscriber of ours that records delivery times. The emulator raises one write
 * event per `PUT connectedClusters` and none when the cluster connects (as Azure). Three phases:
 *   A. Connected at its event (`connectMs` 0): latency = OSM PUT - delivery of the cluster's write event;
 *      target p95 < 2 s.
 *   B. Connects T after its event (`connectMs` T): the connect-watch onboards it; latency = OSM PUT -
 *      (cluster PUT + T); target < the check delay + 10 s.
 *   C. Event lost (no subscriber), Connected at once: the sweep's safety net onboards it; latency = OSM PUT
 *      - cluster PUT; target < one sweep period (60 s) + the Resource Graph lag.
 *   npm run bench:events [-- --clusters 500 --seconds 60 --late 50 --connect-after 30 --lost 20 --subscriptions 5]
 * The OSM PUT time is the emulator's start time of the extension operation (its state, read in-process).
 */
import { parseArgs } from 'node:util';
import { EVENT_FUNCTION } from '../shared/functionNames.js';
import { BENCH_EVENTGRID_KEY, api, sleep, startBenchStack } from './support/benchStack.js';
import { putConnectedCluster, startEventProbe } from './support/eventProbe.js';

const { values } = parseArgs({
  options: {
    clusters: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '60' },
    late: { type: 'string', default: '50' },
    'connect-after': { type: 'string', default: '30' },
    lost: { type: 'string', default: '20' },
    subscriptions: { type: 'string', default: '5' },
  },
});
const N = Number(values.clusters);
const spanMs = Number(values.seconds) * 1000;
const LATE = Number(values.late);
const T = Number(values['connect-after']) * 1000;
const LOST = Number(values.lost);
const subs = Array.from(
  { length: Number(values.subscriptions) },
  (_, i) => `${String(i + 1).padStart(8, '0')}-0000-4000-8000-00000000be0${i % 10}`,
);

const stack = await startBenchStack({});
const probe = await startEventProbe();
try {
  console.log(
    `bench:events: A ${N} clusters over ${spanMs / 1000} s connected at their event; B ${LATE} connecting ` +
      `${T / 1000} s after it; C ${LOST} whose event is lost; ${subs.length} subscriptions; ${process.version}`,
  );
  const host = await stack.startHost(subs);
  await api(host.url, 'PUT', '/api/policies/onboard', { osm: { version: '1.2.6' }, autoOnboard: true });
  await stack.control.addSubscriber({
    url: `${host.url}/runtime/webhooks/eventgrid?functionName=${EVENT_FUNCTION}&code=${BENCH_EVENTGRID_KEY}`,
  });
  await stack.control.addSubscriber({ url: probe.url, endpointType: 'azurefunction' });
  const id = (phase: string, i: number) =>
    `/subscriptions/${subs[i % subs.length]}/resourceGroups/rg-events/providers/Microsoft.Kubernetes/connectedClusters/ev-${phase}-${i}`;

  /** Creates `count` clusters over `overMs`; returns cluster id (lower case) -> time of its PUT. */
  async function create(phase: string, count: number, overMs: number): Promise<Map<string, number>> {
    const created = new Map<string, number>();
    const t0 = Date.now();
    for (let i = 0; i < count; i++) {
      const wait = t0 + (i * overMs) / count - Date.now();
      if (wait > 0) await sleep(wait);
      const at = Date.now();
      const status = await putConnectedCluster(stack.emulator.endpoint, stack.emulator.caPem, id(phase, i));
      if (status >= 300) console.log(`cluster PUT ${phase}-${i}: ${status}`);
      created.set(id(phase, i).toLowerCase(), at);
    }
    return created;
  }

  /** Waits for the OSM PUT of every cluster of `created` (or the deadline); cluster -> PUT time. */
  async function osmPuts(created: Map<string, number>, deadlineMs: number): Promise<Map<string, number>> {
    const putAt = new Map<string, number>();
    const deadline = Date.now() + deadlineMs;
    while (putAt.size < created.size && Date.now() < deadline) {
      await sleep(500);
      for (const op of stack.emulator.state.operations.values()) {
        const cluster = op.clusterKey;
        if (!created.has(cluster) || putAt.has(cluster)) continue;
        const ext = stack.emulator.state.clusters.get(cluster)?.extensions.get(op.extensionKey);
        if (ext && /openservicemesh/i.test(ext.extensionType)) putAt.set(cluster, op.startedMs);
      }
    }
    return putAt;
  }

  /** Who onboarded each cluster: `event:<id>` (the event or its connect-watch) or `timer` (the sweep). */
  async function actors(clusters: Iterable<string>): Promise<string> {
    const count = new Map<string, number>();
    for (const c of clusters) {
      const [, , sub, , rg, , , , name] = c.split('/');
      const h = await api(host.url, 'GET', `/api/clusters/${sub}/${rg}/${name}/history?top=50`);
      const items = (h?.items ?? []) as { action: string; actor: string }[];
      const actor = items.find((e) => e.action === 'RolloutPlanned')?.actor.replace(/:.*/, '') ?? 'none';
      count.set(actor, (count.get(actor) ?? 0) + 1);
    }
    return [...count].map(([a, n]) => `${a} ${n}`).join(', ');
  }

  const report = (label: string, latencies: number[], of: number, target: string) => {
    latencies.sort((a, b) => a - b);
    const q = (p: number) =>
      latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)] ?? NaN;
    console.log(
      `${label}: OSM PUTs ${latencies.length} of ${of}; p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, ` +
        `max ${latencies.at(-1) ?? NaN} ms (target ${target})`,
    );
  };

  // A: Connected at its event
  await stack.control.config({ connectMs: 0 });
  const a = await create('a', N, spanMs);
  const aPut = await osmPuts(a, 300_000); // B and C start once A is done: their figures exclude its backlog
  const aLat: number[] = [];
  for (const [cluster, at] of aPut) {
    const delivered = (probe.received.get(cluster) ?? []).filter((t) => t <= at).at(-1);
    if (delivered !== undefined) aLat.push(at - delivered);
  }
  report('A event -> OSM PUT, Connected at its event', aLat, N, 'p95 < 2000 ms');

  // B: connects T after its event (the connect-watch)
  await stack.control.config({ connectMs: T });
  const b = await create('b', LATE, Math.min(10_000, spanMs));
  const bPut = await osmPuts(b, T + 120_000);
  const checkMs = 15_000;
  report(
    `B connection (PUT + ${T / 1000} s) -> OSM PUT, via the connect-watch`,
    [...bPut].map(([c, at]) => at - (b.get(c)! + T)),
    LATE,
    `every one < ${checkMs + 10_000} ms`,
  );
  console.log(`B onboarded by: ${await actors(bPut.keys())}`);

  // C: the event is lost; the sweep onboards
  await stack.control.clearSubscribers();
  await stack.control.config({ connectMs: 0 });
  const c = await create('c', LOST, 5_000);
  const cPut = await osmPuts(c, 180_000);
  report(
    'C cluster PUT -> OSM PUT, event lost (the sweep)',
    [...cPut].map(([cl, at]) => at - c.get(cl)!),
    LOST,
    'every one < one sweep period (60 s) + the Resource Graph lag',
  );
  console.log(`C onboarded by: ${await actors(cPut.keys())}`);

  const stats = await stack.control.stats();
  console.log(
    `events delivered ${stats.eventsDelivered}, failed ${stats.eventDeliveryFailures}; 429s ${stats.throttled429}; ` +
      `host peak RSS ${host.memory().hwmMiB.toFixed(0)} MiB`,
  );
} finally {
  await probe.close();
  await stack.stop();
}

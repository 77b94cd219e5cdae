/**
 * bench:events: 500 clusters connect over about a minute; how long from the Event Grid delivery to the
 * OSM PUT on each? Emulator (in this process) + Azurite + one host process; a policy `autoOnboard: true`
 * (OSM 1.2.6, every cluster); the host's webhook subscribed to the emulator's Event Grid, beside a probe
 * subscriber of ours that records the delivery times.
 *   npm run bench:events [-- --clusters 500 --seconds 60 --subscriptions 5]
 * Latency per cluster = the emulator's start time of the OSM operation (the PUT) minus the delivery of the
 * last connectedClusters write event that reached the subscribers before it (normally the Connecting ->
 * Connected event; the cluster PUT's own event finds the cluster still Connecting).
 */
import { parseArgs } from 'node:util';
import { EVENT_FUNCTION } from '../shared/functionNames.js';
import { BENCH_EVENTGRID_KEY, api, sleep, startBenchStack } from './support/benchStack.js';
import { putConnectedCluster, startEventProbe } from './support/eventProbe.js';

const { values } = parseArgs({
  options: {
    clusters: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '60' },
    subscriptions: { type: 'string', default: '5' },
  },
});
const N = Number(values.clusters);
const spanMs = Number(values.seconds) * 1000;
const subs = Array.from(
  { length: Number(values.subscriptions) },
  (_, i) => `${String(i + 1).padStart(8, '0')}-0000-4000-8000-00000000be0${i % 10}`,
);

const stack = await startBenchStack({});
const probe = await startEventProbe();
try {
  const cfg = stack.emulator.context.config;
  console.log(
    `bench:events: ${N} clusters over ${spanMs / 1000} s in ${subs.length} subscriptions; connectMs ${cfg.connectMs}, ` +
      `${process.version}`,
  );
  const host = await stack.startHost(subs);
  await api(host.url, 'PUT', '/api/policies/onboard', { osm: { version: '1.2.6' }, autoOnboard: true });
  await stack.control.addSubscriber({
    url: `${host.url}/runtime/webhooks/eventgrid?functionName=${EVENT_FUNCTION}&code=${BENCH_EVENTGRID_KEY}`,
  });
  await stack.control.addSubscriber({ url: probe.url, endpointType: 'azurefunction' });

  const ids = Array.from(
    { length: N },
    (_, i) =>
      `/subscriptions/${subs[i % subs.length]}/resourceGroups/rg-events/providers/Microsoft.Kubernetes/connectedClusters/ev-${i}`,
  );
  const t0 = Date.now();
  for (let i = 0; i < N; i++) {
    const wait = t0 + (i * spanMs) / N - Date.now();
    if (wait > 0) await sleep(wait);
    const status = await putConnectedCluster(stack.emulator.endpoint, stack.emulator.caPem, ids[i] ?? '');
    if (status >= 300) console.log(`cluster PUT ${i}: ${status}`);
  }
  console.log(
    `created ${N} clusters in ${((Date.now() - t0) / 1000).toFixed(1)} s; waiting for the OSM PUTs`,
  );

  const putAt = new Map<string, number>();
  const deadline = Date.now() + 120_000;
  while (putAt.size < N && Date.now() < deadline) {
    await sleep(500);
    for (const op of stack.emulator.state.operations.values()) {
      const cluster = op.clusterKey;
      const ext = stack.emulator.state.clusters.get(cluster)?.extensions.get(op.extensionKey);
      if (ext && /openservicemesh/i.test(ext.extensionType) && !putAt.has(cluster))
        putAt.set(cluster, op.startedMs);
    }
  }
  const latencies: number[] = [];
  for (const [cluster, at] of putAt) {
    const before = (probe.received.get(cluster) ?? []).filter((t) => t <= at);
    const delivered = before[before.length - 1];
    if (delivered !== undefined) latencies.push(at - delivered);
  }
  latencies.sort((a, b) => a - b);
  const q = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)] ?? NaN;
  const stats = await stack.control.stats();
  console.log(
    `OSM PUTs: ${putAt.size} of ${N} clusters; events delivered ${stats.eventsDelivered}, failed ${stats.eventDeliveryFailures}; ` +
      `429s ${stats.throttled429}; host peak RSS ${host.memory().hwmMiB.toFixed(0)} MiB`,
  );
  console.log(
    `latency Event Grid delivery -> OSM PUT over ${latencies.length} clusters: p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, ` +
      `max ${latencies[latencies.length - 1] ?? NaN} ms`,
  );
} finally {
  await probe.close();
  await stack.stop();
}

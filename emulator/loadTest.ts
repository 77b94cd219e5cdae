// Load script: seed 10,000 clusters, then drive ARM GET/PUT at a fixed rate and report latency and memory.
//   npx tsx emulator/loadTest.ts [--clusters 10000] [--subscriptions 10] [--rate 200] [--seconds 10]
import { Agent, request } from 'node:https';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createEmulator } from './createEmulator.js';
import { seedFleet } from './seedFleet.js';

const { values } = parseArgs({
  options: {
    clusters: { type: 'string', default: '10000' },
    subscriptions: { type: 'string', default: '10' },
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '10' },
    'put-share': { type: 'string', default: '0.2' },
  },
});
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const putShare = Number(values['put-share']);

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
const emu = await createEmulator({
  port: 0,
  caDir: mkdtempSync(join(tmpdir(), 'emu-load-')),
  config: { installMs: 2000, graphLagMs: 1000 },
});
const t0 = performance.now();
const seeded = seedFleet(emu.context, {
  seed: 11,
  clusters: Number(values.clusters),
  subscriptions: Number(values.subscriptions),
  osm: { fraction: 0.5, versions: { '1.1.1': 1, '1.2.3': 2, '1.2.6': 2 } },
});
const ids = [...emu.context.state.clusters.values()].map((c) => c.id);
console.log(
  `seeded ${seeded.clusters} clusters in ${(performance.now() - t0).toFixed(0)} ms; RSS ${mb(process.memoryUsage().rss)}`,
);

const agent = new Agent({ keepAlive: true, maxSockets: 64, ca: emu.caPem });
function call(method: string, path: string, body?: unknown): Promise<{ status: number; ms: number }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, emu.endpoint),
      { method, agent, headers: { authorization: 'Bearer load', 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - start }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const latencies: Record<'GET' | 'PUT', number[]> = { GET: [], PUT: [] };
const statuses: Record<string, number> = {};
let i = 0;
const inFlight: Promise<void>[] = [];
const started = performance.now();
const total = rate * seconds;
for (let n = 0; n < total; n++) {
  const due = started + (n * 1000) / rate;
  const wait = due - performance.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const id = ids[(i++ * 7919) % ids.length] ?? '';
  const isPut = n % Math.round(1 / putShare) === 0;
  const ext = `${id}/providers/Microsoft.KubernetesConfiguration/extensions/${isPut ? `load-${n}` : 'osm'}`;
  const p = (
    isPut
      ? call('PUT', `${ext}?api-version=2023-05-01`, {
          properties: { extensionType: 'Contoso.LoadTest', configurationSettings: { n: String(n) } },
        })
      : n % 2 === 0
        ? call('GET', `${id}?api-version=2024-01-01`)
        : call('GET', `${ext}?api-version=2023-05-01`)
  ).then((r) => {
    latencies[isPut ? 'PUT' : 'GET'].push(r.ms);
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  });
  inFlight.push(p);
}
await Promise.all(inFlight);
const elapsed = (performance.now() - started) / 1000;

function pct(values: number[], p: number): string {
  const sorted = [...values].sort((a, b) => a - b);
  return (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0).toFixed(2);
}
console.log(
  `sent ${total} requests in ${elapsed.toFixed(2)} s = ${(total / elapsed).toFixed(0)} req/s (target ${rate}/s)`,
);
for (const kind of ['GET', 'PUT'] as const) {
  const l = latencies[kind];
  console.log(`${kind}: n=${l.length} p50=${pct(l, 50)} ms p99=${pct(l, 99)} ms max=${pct(l, 100)} ms`);
}
console.log(`statuses: ${JSON.stringify(statuses)}`);
global.gc?.();
console.log(
  `RSS after load: ${mb(process.memoryUsage().rss)} (heap used ${mb(process.memoryUsage().heapUsed)}; emulator and load generator share the process)`,
);

// Capacity: a closed loop of 64 concurrent GETs for 3 s (throttling off, else most answers are 429s).
emu.context.config.throttling.enabled = false;
let done = 0;
const until = performance.now() + 3000;
await Promise.all(
  Array.from({ length: 64 }, async (_, w) => {
    let k = w;
    while (performance.now() < until) {
      await call('GET', `${ids[(k++ * 104729) % ids.length]}?api-version=2024-01-01`);
      done++;
    }
  }),
);
console.log(`capacity (64 concurrent GETs, throttling off): ${(done / 3).toFixed(0)} req/s`);
agent.destroy();
await emu.close();

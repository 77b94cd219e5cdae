// Resource Graph benchmark: 10,000 clusters + 8,000 extensions, first page (1000 rows) of the fleet join
// query and of a filtered query. Run: npx tsx emulator/graph/graphBench.ts
import { performance } from 'node:perf_hooks';
import { fleetIndex, fleetQuery } from './graphFleet.js';
import { loadKusto, warmUpKusto } from './kustoParser.js';
import { ResourceGraphService } from './resourceGraphService.js';

const clusters = Number(process.argv[2] ?? 10_000);
const extensions = Number(process.argv[3] ?? 8_000);
const filtered = `Resources
| where type =~ 'microsoft.kubernetes/connectedclusters' and tags.env == 'prod'
| where tostring(properties.connectivityStatus) == 'Connected' and properties.distribution in~ ('aks', 'openshift')
| project id, name, location, distribution = tolower(tostring(properties.distribution))
| order by id asc`;

let t = performance.now();
loadKusto();
const loadMs = performance.now() - t;
t = performance.now();
warmUpKusto();
const warmMs = performance.now() - t;
t = performance.now();
const index = fleetIndex(clusters, extensions);
const fillMs = performance.now() - t;
const service = new ResourceGraphService(index, { quota: { queries: 1_000_000, windowMs: 5000 } });

function time(label: string, query: string): void {
  const runs: number[] = [];
  let total = 0;
  for (let i = 0; i < 6; i++) {
    const start = performance.now();
    const res = service.handle(
      { query, options: { $top: 1000 } },
      { principal: 'bench', nowMs: Date.now(), apiVersion: '2024-04-01' },
    );
    runs.push(performance.now() - start);
    if (res.status !== 200) throw new Error(`${label}: status ${res.status} ${JSON.stringify(res.body)}`);
    total = (res.body as { totalRecords: number }).totalRecords;
  }
  const warm = runs.slice(1).sort((a, b) => a - b);
  const fmt = (n: number): string => n.toFixed(1);
  process.stdout.write(
    `${label}: first ${fmt(runs[0]!)} ms (includes compile), then median ${fmt(warm[2]!)} ms, max ${fmt(warm[4]!)} ms; totalRecords ${total}\n`,
  );
}

process.stdout.write(
  `Kusto.Language load ${loadMs.toFixed(0)} ms, first parse ${warmMs.toFixed(0)} ms; index ${clusters} clusters + ${extensions} extensions in ${fillMs.toFixed(0)} ms\n`,
);
time('join page (1000 rows)', fleetQuery);
time('filtered page (1000 rows)', filtered);
process.stdout.write(`heap used ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB\n`);

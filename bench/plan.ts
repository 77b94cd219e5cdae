/**
 * bench:plan: plans a synthetic fleet of 10,000 and 100,000 clusters and prints the time and the peak
 * memory of each run. Each size runs in its own child process so that peak RSS belongs to that size alone.
 *   npm run bench:plan            (both sizes)
 *   npm run bench:plan -- 250000  (one size)
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { defaultOsmCatalog } from '../shared/domain/osmCatalog.js';
import { planPolicy } from '../shared/domain/planner.js';
import { parsePolicy } from '../shared/domain/policy.js';
import { demoFleet } from '../local/demoFleet.js';
import { DEMO_POLICY } from '../local/demoPolicy.js';

const arg = process.argv[2];
if (arg === '--child') {
  const size = Number(process.argv[3]);
  const fleet = demoFleet({ clusters: size, subscriptions: 10 });
  const policy = parsePolicy('bench', DEMO_POLICY);
  const runs: number[] = [];
  let clusters = 0;
  for (let i = 0; i < 5; i++) {
    const t0 = process.hrtime.bigint();
    const plan = planPolicy(policy, fleet, { catalog: defaultOsmCatalog, now: new Date() });
    runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
    clusters = plan.clusters.length;
  }
  const sorted = [...runs].sort((a, b) => a - b);
  console.log(
    JSON.stringify({
      size,
      clusters,
      firstMs: runs[0],
      medianMs: sorted[2],
      peakRssMiB: process.resourceUsage().maxRSS / 1024,
    }),
  );
} else {
  const sizes = arg ? [Number(arg)] : [10_000, 100_000];
  const self = fileURLToPath(import.meta.url);
  console.log(`bench:plan on ${process.version}, ${process.arch}; 5 runs each, fleet generated in-process`);
  console.log('clusters   planned   first run   median run   peak RSS (whole process)');
  for (const size of sizes) {
    const out = execFileSync(process.execPath, ['--import', 'tsx', self, '--child', String(size)], {
      encoding: 'utf8',
    });
    const r = JSON.parse(out.trim().split('\n').pop() ?? '{}');
    console.log(
      `${String(r.size).padStart(8)} ${String(r.clusters).padStart(9)} ${r.firstMs.toFixed(0).padStart(8)} ms ${r.medianMs.toFixed(0).padStart(9)} ms ${r.peakRssMiB.toFixed(0).padStart(8)} MiB`,
    );
  }
}

/**
 * bench:plan: plans a synthetic fleet of 10,000 and 100,000 clusters and prints the time and the peak
 * memory of each run. Each size runs in its own child process so that peak RSS belongs to that size alone.
 *   npm run bench:plan            (both sizes)
 *   npm run bench:plan -- 250000  (one size)
 *   BENCH_PLAN_EXCLUDES=1900 npm run bench:plan -- 10000  (target.exclude names every 5th cluster, up to N)
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
  const excludes = Number(process.env.BENCH_PLAN_EXCLUDES ?? 0);
  const exclude = fleet
    .filter((_, i) => i % 5 === 0)
    .slice(0, excludes)
    .map((c) => c.id.toUpperCase());
  const base = parsePolicy('bench', DEMO_POLICY);
  const policy = excludes ? { ...base, target: { ...base.target, exclude } } : base;
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
  const excludes = Number(process.env.BENCH_PLAN_EXCLUDES ?? 0);
  console.log(
    `bench:plan on ${process.version}, ${process.arch}; 5 runs each, fleet generated in-process` +
      (excludes ? `; ${excludes} target.exclude entries` : ''),
  );
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

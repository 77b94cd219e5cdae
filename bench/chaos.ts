/**
 * bench:chaos: the fault campaign of test/scale/faultCampaign.test.ts at fleet scale, as a benchmark that
 * prints its counts (not a test: nothing is asserted, every verdict is printed as a count).
 *   npm run bench:chaos -- --clusters 10000 [--subscriptions 10] [--hosts 3] [--kills 5] [--install-ms 300]
 *     [--max-failure-percent 10] [--timeout-min 60] [--event-retry-scale 0.1] [--onboard-wait-min 10]
 * --event-retry-scale: Event Grid's own retry schedule (10 s, 30 s, 1 min, 5 min, ...) times this factor
 * between delivery attempts; 0 for the emulator's quick backoff (2 s at most), as the CI campaign uses.
 * Starts its own Azurite, the emulator in this process and the host processes; stops them all at the end.
 *   npm run bench:chaos -- --model-runs 20000 [--model-seed 42] [--model-actions 120]
 * runs the hop protocol's model-based test (test/model) instead: many more runs than CI's, random seed.
 */
import { parseArgs } from 'node:util';
import { startAzurite } from '../local/startAzurite.js';
import { runCampaign, type CampaignReport } from '../test/scale/harness/campaign.js';
import { runModelCampaign } from './support/modelCampaign.js';

const { values } = parseArgs({
  options: {
    clusters: { type: 'string', default: '10000' },
    subscriptions: { type: 'string', default: '10' },
    hosts: { type: 'string', default: '3' },
    kills: { type: 'string', default: '5' },
    'install-ms': { type: 'string', default: '300' },
    'max-failure-percent': { type: 'string', default: '10' },
    'timeout-min': { type: 'string', default: '60' },
    'event-retry-scale': { type: 'string', default: '0.1' },
    'onboard-wait-min': { type: 'string', default: '10' },
    'model-runs': { type: 'string' },
    'model-seed': { type: 'string' },
    'model-actions': { type: 'string', default: '120' },
  },
});
if (values['model-runs'] !== undefined) {
  const seed = values['model-seed'] ? Number(values['model-seed']) : Math.floor(Math.random() * 2 ** 31);
  const ok = await runModelCampaign(Number(values['model-runs']), seed, Number(values['model-actions']));
  process.exit(ok ? 0 : 1);
}
const clusters = Number(values.clusters);
const azurite = await startAzurite();
let report: CampaignReport | undefined;
const t0 = Date.now();
try {
  report = await runCampaign({
    storage: azurite.connectionString,
    clusters,
    subscriptions: Number(values.subscriptions),
    hosts: Number(values.hosts),
    kills: Number(values.kills),
    maxFailurePercent: Number(values['max-failure-percent']),
    installMs: Number(values['install-ms']),
    timeoutMs: Number(values['timeout-min']) * 60_000,
    eventRetryScale: Number(values['event-retry-scale']),
    onboardWaitMs: Number(values['onboard-wait-min']) * 60_000,
    log: (line) => console.log(`[${Math.round((Date.now() - t0) / 1000)} s] ${line}`),
  });
  const { env: _env, verdict, ...counts } = report;
  console.log('\n== counts');
  console.log(JSON.stringify(counts, null, 2));
  console.log('\n== verdicts (offending clusters; 0 = holds)');
  for (const [k, v] of Object.entries(verdict))
    console.log(`${k.padEnd(26)} ${Array.isArray(v) ? `${v.length}${v.length ? `  e.g. ${v[0]}` : ''}` : v}`);
  console.log(
    `\nwall ${Math.round((Date.now() - t0) / 1000)} s, peak RSS of this process ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`,
  );
} finally {
  await report?.env.stop();
  await azurite.stop();
}

/**
 * `npm run demo:plan`: plans the demo policy over a synthetic demo fleet with the real planner, no services
 * needed, and prints the plan: the summary, the waves, and one example cluster for every distinct outcome.
 */
import { parseArgs } from 'node:util';
import { defaultOsmCatalog } from '../shared/domain/osmCatalog.js';
import type { Plan } from '../shared/domain/planner.js';
import { planPolicy } from '../shared/domain/planner.js';
import { parsePolicy } from '../shared/domain/policy.js';
import { demoFleet } from './demoFleet.js';
import { DEMO_POLICY } from './demoPolicy.js';

const { values } = parseArgs({
  options: {
    clusters: { type: 'string', default: '200' },
    subscriptions: { type: 'string', default: '3' },
    json: { type: 'boolean', default: false },
  },
});

const fleet = demoFleet({ clusters: Number(values.clusters), subscriptions: Number(values.subscriptions) });
const policy = parsePolicy('demo', DEMO_POLICY, { isKnownVersion: (v) => defaultOsmCatalog.has(v) });
const plan = planPolicy(policy, fleet, { catalog: defaultOsmCatalog, now: new Date() });

if (values.json) console.log(JSON.stringify(plan, null, 2));
else
  console.log(
    renderPlan(
      plan,
      policy.rollout.waves.map((w) => w.name),
    ),
  );

function renderPlan(p: Plan, waveNames: string[]): string {
  const s = p.summary;
  const lines = [
    `osm-fleet plan for policy "${p.policy}" -> OSM ${p.targetVersion} over ${fleet.length} demo clusters`,
    `  targeted ${s.clusters}: install ${s.install}, upgrade ${s.upgrade}, reconfigure ${s.reconfigure}, no change ${s.noChange}`,
    `  skipped: ${
      Object.entries(s.skipped)
        .map(([r, n]) => `${r} ${n}`)
        .join(', ') || 'none'
    }`,
    '',
    'Waves (clusters with work, by stable hash of their ID):',
  ];
  waveNames.forEach((name, i) => {
    const inWave = p.clusters.filter((c) => c.waveIndex === i);
    const ready = inWave.filter((c) => c.action !== 'skip').length;
    lines.push(
      `  ${i + 1}. ${name.padEnd(8)} ${String(inWave.length).padStart(6)} clusters (${ready} ready now)`,
    );
  });
  lines.push('', 'One cluster per outcome:');
  const seen = new Set<string>();
  for (const c of p.clusters) {
    const key = c.action === 'skip' ? c.reason : `${c.action}/${c.reason}/${c.from ?? '-'}/${c.adopted}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const route = c.path.length ? `${c.from ?? '(none)'} -> ${c.path.join(' -> ')}` : (c.from ?? '(none)');
    lines.push(
      `  ${c.action.padEnd(11)} ${c.reason.padEnd(24)} ${c.name.padEnd(12)} ${c.distribution.padEnd(12)} ${route}`,
    );
    if (c.message) lines.push(`  ${''.padEnd(36)}${c.message}`);
    if (c.adopted) lines.push(`  ${''.padEnd(36)}adopts the existing extension "${c.extensionName}"`);
  }
  return lines.join('\n');
}

import { it } from 'vitest';
import fc from 'fast-check';
import { actionArb, paramsArb } from './actions.js';
import { runModel } from './modelRun.js';
it('tr', async () => {
  const samples = fc.sample(fc.tuple(paramsArb, fc.array(actionArb, { maxLength: 80 })), { seed: 3, numRuns: 4000 });
  const all = new Map<string, number>();
  for (const [p, acts] of samples) for (const t of (await runModel(acts, p.maxParallel)).transitions) all.set(t, (all.get(t) ?? 0) + 1);
  console.log([...all].sort().map(([k, v]) => `${v}\t${k}`).join('\n'));
}, 600_000);

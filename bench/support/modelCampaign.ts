/**
 * `bench:chaos -- --model-runs N`: the model-based test of the hop protocol (test/model) for many more runs
 * than CI's fixed 1,000, with a random seed unless one is given. Prints the seed, the runs, the time, and the
 * first violation with its shrunk action list (replay it with `runModel(actions, maxParallel)`).
 */
import fc from 'fast-check';
import { actionArb, paramsArb } from '../../test/model/actions.js';
import { runModel } from '../../test/model/modelRun.js';

export async function runModelCampaign(runs: number, seed: number, maxLength: number): Promise<boolean> {
  const t0 = Date.now();
  let count = 0;
  let puts = 0;
  const out = await fc.check(
    fc.asyncProperty(paramsArb, fc.array(actionArb, { maxLength }), async (p, actions) => {
      count++;
      const report = await runModel(actions, p.maxParallel);
      puts += report.puts;
      if (report.violations.length > 0) throw new Error(report.violations.join('\n'));
    }),
    { seed, numRuns: runs },
  );
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  console.log(
    `model runs: ${count} (seed ${seed}, up to ${maxLength} actions), ${puts} PUTs judged, ${seconds} s`,
  );
  if (!out.failed) {
    console.log('violations: 0');
    return true;
  }
  console.log(`violation after ${out.numRuns} runs: ${String(out.errorInstance).slice(0, 2000)}`);
  console.log(`shrunk counterexample: ${JSON.stringify(out.counterexample)}`);
  return false;
}

// Scale-out correctness (issue 5): three host processes on one Azurite and one emulator run a full rollout
// of a seeded fleet; no hop is PUT twice, no wave exceeds maxParallel, no progress is lost, and the end
// state equals the same seed run by a single instance.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Emulator } from '../../emulator/createEmulator.js';
import { EmulatorControl } from '../../emulator/emulatorControl.js';
import { runRollout, type RolloutRunResult } from './harness/rolloutRun.js';
import { startEmulator, type ScaleEnvOptions } from './harness/scaleEnv.js';
import { expectedSettings, fleet, policyBody, subscriptionIds, TARGET } from './harness/scaleFleet.js';

const SUBS = subscriptionIds(2, 'b');
const CLUSTERS = fleet(60, SUBS, 'so');
const WAVES = [
  { name: 'canary', count: 4, maxParallel: 2 },
  { name: 'early', percent: 40, maxParallel: 5 },
  { name: 'rest', percent: 100, maxParallel: 8 },
];
const POLICY = policyBody(SUBS, WAVES);

let emulator: Emulator | undefined;
const runs: RolloutRunResult[] = [];

async function run(hostCount: number): Promise<RolloutRunResult> {
  if (!emulator) throw new Error('no emulator');
  const control = new EmulatorControl(emulator.endpoint, emulator.caPem);
  await control.reset();
  await control.seed({ explicit: CLUSTERS.map((c) => c.seed) });
  const options: ScaleEnvOptions = {
    storage: inject('azurite').connectionString,
    subscriptions: SUBS,
    reconcileMs: 1_000,
    quiet: false,
    maxPollingMs: 250,
    emulator: { graphLagMs: 200 },
  };
  return runRollout(options, emulator, CLUSTERS, POLICY, hostCount, 90_000);
}

describe('three host processes, one rollout', () => {
  beforeAll(async () => {
    emulator = await startEmulator({
      emulator: {
        installMs: 100,
        installJitterMs: 50,
        connectMs: 50,
        graphLagMs: 200,
        retryAfterSeconds: 0,
        failureModes: { namespaceLingerMs: 500, offlineTimeoutMs: 30_000 },
      },
    });
  });
  afterAll(async () => {
    await emulator?.close();
  });

  it('no hop PUT twice, no wave above maxParallel, nothing lost', async () => {
    const r = await run(3);
    runs[0] = r;
    console.log(
      `three hosts: ${r.makespanMs} ms, ${r.apiSamples} API samples, peaks ${JSON.stringify(r.apiPeakInProgress)}, ` +
        `ops ${JSON.stringify([...r.opPeak])}, emulator samples ${r.observer.samples}`,
    );
    expect(r.rollout.state, r.logs).toBe('Succeeded');
    for (const c of CLUSTERS) {
      const e = r.end.get(c.id.toLowerCase());
      expect(e?.puts, `${c.id} PUTs (hops ${c.hops})`).toBe(c.hops);
      expect(e?.version, c.id).toBe(TARGET);
      expect(e?.extensions.length, c.id).toBe(1);
      expect(e?.row?.state, c.id).toMatch(/^(Succeeded|Skipped)$/);
      expect(e?.runningSettings, c.id).toMatchObject(expectedSettings(c.settings, TARGET, true));
    }
    WAVES.forEach((w, i) => {
      expect(r.apiPeakInProgress[i] ?? 0, `wave ${w.name} InProgress`).toBeLessThanOrEqual(w.maxParallel);
      expect(r.opPeak.get(String(i)) ?? 0, `wave ${w.name} operations`).toBeLessThanOrEqual(w.maxParallel);
    });
    expect(r.apiSamples).toBeGreaterThan(50);
    expect(r.observer.downgrades()).toEqual([]);
  }, 150_000);

  it('ends exactly as a single instance does with the same seed', async () => {
    const three = runs[0];
    if (!three) throw new Error('the three-host run did not complete');
    const one = await run(1);
    console.log(`one host: ${one.makespanMs} ms`);
    expect(one.rollout.state, one.logs).toBe('Succeeded');
    expect(Object.fromEntries(three.end)).toEqual(Object.fromEntries(one.end));
  }, 150_000);
});

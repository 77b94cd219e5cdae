/**
 * Scenario 1: a multi-wave rollout (count + percent waves) to a mixed fleet completes; every cluster ends
 * at the target version (ARM, through the emulator) or with an explained skip (API rows). A wave with a
 * soak holds the next wave back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SUBS,
  afterWorkConsidered,
  startFleetStack,
  waitFor,
  type FleetStack,
} from '../support/fleetStack.js';
import {
  FINAL,
  historyOf,
  osmExt,
  osmVersionOf,
  putPolicy,
  rolloutOf,
  rowsOf,
  seedAndSettle,
  seedCluster,
  startRollout,
  waitRollout,
} from '../support/rolloutFlow.js';

const [S0, S1] = [SUBS[0]!, SUBS[1]!];
const fleet = [
  seedCluster(S0, 'rg-mw', 'aks-1'),
  seedCluster(S0, 'rg-mw', 'aks-2'),
  seedCluster(S0, 'rg-mw', 'aks-3'),
  seedCluster(S0, 'rg-mw', 'eks-1', { distribution: 'eks' }),
  seedCluster(S1, 'rg-mw', 'eks-2', { distribution: 'eks' }),
  seedCluster(S1, 'rg-mw', 'gke-1', { distribution: 'gke' }),
  seedCluster(S0, 'rg-mw', 'ocp-1', { distribution: 'openshift' }),
  seedCluster(S1, 'rg-mw', 'ocp-2', { distribution: 'OpenShift' }),
  seedCluster(S1, 'rg-mw', 'k3s-1', { distribution: 'k3s' }),
  seedCluster(S0, 'rg-mw', 'old-1', {
    distribution: 'canonical',
    extensions: [osmExt('1.1.1', { 'osm.osm.envoyLogLevel': 'warn' })],
  }),
  seedCluster(S1, 'rg-mw', 'old-2', { extensions: [osmExt('1.2.3')] }),
  seedCluster(S0, 'rg-mw', 'done-1', { extensions: [osmExt('1.2.6')] }),
  seedCluster(S0, 'rg-mw', 'offline-done', {
    connectivityStatus: 'Offline',
    extensions: [osmExt('1.2.6')],
  }),
  seedCluster(S1, 'rg-mw', 'expired-1', { connectivityStatus: 'Expired' }),
];
const soakFleet = ['s-1', 's-2', 's-3', 's-4'].map((n) => seedCluster(S0, 'rg-soak', n));
const windowFleet = ['w-1', 'w-2'].map((n) => seedCluster(S1, 'rg-window', n));

let stack: FleetStack;
beforeAll(async () => {
  stack = await startFleetStack({ reconcileEveryMs: 500 });
  await seedAndSettle(stack, [...fleet, ...soakFleet, ...windowFleet]);
}, 30_000); // stack start-up on a busy 2-core machine
afterAll(async () => stack?.stop());

describe('multi-wave rollout to a mixed fleet', () => {
  it('completes: every cluster at the target or skipped with a reason', async () => {
    await putPolicy(stack, 'waves', {
      target: { resourceGroups: ['rg-mw'] },
      osm: { version: '1.2.6' },
      rollout: {
        waves: [
          { name: 'canary', count: 2, maxParallel: 2, soakMinutes: 0 },
          { name: 'half', percent: 50, maxParallel: 2, soakMinutes: 0 },
          { name: 'rest', percent: 100, maxParallel: 4, soakMinutes: 0 },
        ],
      },
    });
    const id = await startRollout(stack, 'waves');
    const done = await waitRollout(stack, id);
    expect(done.state).toBe('Succeeded');
    expect(done.waves.map((w: { state: string }) => w.state)).toEqual([
      'Completed',
      'Completed',
      'Completed',
    ]);
    expect(done.waves[0].counts.succeeded).toBe(2);

    const rows = await rowsOf(stack, id);
    expect(rows.size).toBe(fleet.length);
    const expectedSkips: Record<string, string> = {
      'k3s-1': 'UnsupportedDistribution',
      'done-1': 'UpToDate',
      'offline-done': 'UpToDate',
      'expired-1': 'ClusterExpired',
    };
    for (const c of fleet) {
      const row = rows.get(c.id.toLowerCase());
      expect(row, c.name).toBeDefined();
      const skip = expectedSkips[c.name];
      if (skip) {
        expect({ name: c.name, state: row.state, reason: row.reason }).toEqual({
          name: c.name,
          state: 'Skipped',
          reason: skip,
        });
        if (skip !== 'UpToDate') expect(row.message, c.name).toEqual(expect.any(String));
      } else {
        expect({ name: c.name, state: row.state }).toEqual({ name: c.name, state: 'Succeeded' });
        expect(await osmVersionOf(stack, c.id), c.name).toBe('1.2.6');
      }
    }
    // skipped clusters were not touched
    expect(await osmVersionOf(stack, fleet.find((c) => c.name === 'k3s-1')!.id)).toBeUndefined();
    expect(await osmVersionOf(stack, fleet.find((c) => c.name === 'expired-1')!.id)).toBeUndefined();
    const stats = await stack.control.stats();
    for (const c of fleet) {
      const puts = Object.entries(stats.putsPerCluster).find(([k]) => k === c.id.toLowerCase())?.[1] ?? 0;
      expect({ name: c.name, puts }).toEqual({ name: c.name, puts: expectedSkips[c.name] ? 0 : 1 });
    }

    // waves in order: every canary cluster succeeded before any later-wave cluster started
    const byWave = new Map<string, { started: string[]; finished: string[] }>();
    for (const c of fleet) {
      const row = rows.get(c.id.toLowerCase());
      if (!row.wave || row.state !== 'Succeeded') continue;
      const h = await historyOf(stack, c.subscriptionId, c.resourceGroup, c.name);
      const w = byWave.get(row.wave) ?? { started: [], finished: [] };
      w.started.push(...h.filter((e) => /Started$/.test(e.action)).map((e) => e.at as string));
      w.finished.push(...h.filter((e) => /Succeeded$/.test(e.action)).map((e) => e.at as string));
      byWave.set(row.wave, w);
    }
    const order = ['canary', 'half', 'rest'];
    for (let i = 1; i < order.length; i++) {
      const prev = byWave.get(order[i - 1]!)!;
      const cur = byWave.get(order[i]!)!;
      expect(cur.started.length).toBeGreaterThan(0);
      expect(cur.started.sort()[0]! >= prev.finished.sort().at(-1)!).toBe(true);
    }
  });

  it('holds the next wave while a finished wave soaks', async () => {
    await putPolicy(stack, 'soak', {
      target: { resourceGroups: ['rg-soak'] },
      osm: { version: '1.2.6' },
      rollout: {
        waves: [
          { name: 'canary', count: 1, maxParallel: 1, soakMinutes: 1 },
          { name: 'rest', percent: 100, maxParallel: 5, soakMinutes: 0 },
        ],
      },
    });
    const before = Date.now();
    const id = await startRollout(stack, 'soak');
    const soaking = await waitFor(async () => {
      const r = await rolloutOf(stack, id);
      return (r.waves[0].state === 'Soaking' || FINAL.includes(r.state)) && r;
    });
    expect(soaking.state).toBe('Running');
    expect(soaking.waves.map((w: { state: string }) => w.state)).toEqual(['Soaking', 'Pending']);
    expect(soaking.waves[0].counts.succeeded).toBe(1);
    const until = Date.parse(soaking.soakUntil);
    expect(until).toBeGreaterThanOrEqual(before + 55_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 60_500);

    await afterWorkConsidered(stack); // two reconcile passes and every message handled: the rest wave waits
    const still = await rolloutOf(stack, id);
    expect(still.waves[1]).toMatchObject({ state: 'Pending', counts: { pending: 3, inProgress: 0 } });
    const stats = await stack.control.stats();
    const soakPuts = soakFleet.map((c) => stats.putsPerCluster[c.id.toLowerCase()] ?? 0);
    expect(soakPuts.reduce((a, b) => a + b, 0)).toBe(1);

    expect((await stack.api('POST', `/api/rollouts/${id}/cancel`)).status).toBe(200);
  });

  it('starts nothing outside the maintenance window', async () => {
    const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
    const inTwoDays = days[(new Date().getUTCDay() + 2) % 7]!;
    await putPolicy(stack, 'window', {
      target: { resourceGroups: ['rg-window'] },
      osm: { version: '1.2.6' },
      rollout: {
        waves: [{ name: 'all', percent: 100, maxParallel: 5 }],
        maintenanceWindow: { days: [inTwoDays], start: '00:00', durationHours: 1, timeZone: 'UTC' },
      },
    });
    const id = await startRollout(stack, 'window');
    await afterWorkConsidered(stack); // two reconcile passes and every message handled: nothing started
    const r = await rolloutOf(stack, id);
    expect(r.state).toBe('Running');
    expect(r.counts).toMatchObject({ pending: 2, inProgress: 0, succeeded: 0 });
    const stats = await stack.control.stats();
    for (const c of windowFleet) expect(stats.putsPerCluster[c.id.toLowerCase()] ?? 0).toBe(0);
    expect((await stack.api('POST', `/api/rollouts/${id}/cancel`)).status).toBe(200);
  });
});

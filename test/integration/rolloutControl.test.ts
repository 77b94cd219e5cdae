/**
 * Scenarios 4 and 5: injected install failures past maxFailurePercent halt the rollout with the reason, and
 * retry-failed after the fault is cleared finishes it; pause stops new dispatches (in-flight ones finish),
 * resume continues, cancel stops (the rest Cancelled).
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
  clusterEvent,
  type Json,
  osmExt,
  postEvents,
  osmVersionOf,
  putPolicy,
  rolloutOf,
  rowsOf,
  seedAndSettle,
  seedCluster,
  startRollout,
  waitRollout,
} from '../support/rolloutFlow.js';

const S = SUBS[1]!;
const failFleet = Array.from({ length: 10 }, (_, i) => seedCluster(S, 'rg-fail', `f-${i}`));
const cmdFleet = Array.from({ length: 12 }, (_, i) => seedCluster(S, 'rg-cmd', `c-${i}`));
const oneWave = (maxParallel: number) => ({
  waves: [{ name: 'all', percent: 100, maxParallel, soakMinutes: 0 }],
});

let stack: FleetStack;
beforeAll(async () => {
  stack = await startFleetStack({ reconcileEveryMs: 500, emulator: { installMs: 300 } });
  await seedAndSettle(stack, [...failFleet, ...cmdFleet]);
}, 30_000); // stack start-up on a busy 2-core machine
afterAll(async () => stack?.stop());

async function putsOf(ids: string[]): Promise<Map<string, number>> {
  const stats = await stack.control.stats();
  return new Map(ids.map((i) => [i.toLowerCase(), stats.putsPerCluster[i.toLowerCase()] ?? 0]));
}
const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

describe('halt on failures', () => {
  it('halts past maxFailurePercent with the reason; retry-failed after the fault finishes it', async () => {
    await stack.control.addInstallOutcome({
      extensionType: 'Microsoft.openservicemesh',
      count: 3,
      code: 'InjectedChartFailure',
      message: 'pre-install hook failed: injected by the test',
    });
    await putPolicy(stack, 'fail', {
      target: { resourceGroups: ['rg-fail'] },
      osm: { version: '1.2.6' },
      rollout: { ...oneWave(4), maxFailurePercent: 20 },
      autoOnboard: true,
    });
    const id = await startRollout(stack, 'fail');
    const halted = await waitRollout(stack, id, ['Halted', 'Succeeded', 'Failed', 'Cancelled']);
    expect(halted.state).toBe('Halted');
    expect(halted.haltedReason).toMatch(
      /^\d+ of \d+ dispatched clusters failed \(.*%\).*above maxFailurePercent 20/,
    );

    // in-flight work settles; nothing new is dispatched while halted
    await waitFor(async () => (await rolloutOf(stack, id)).counts.inProgress === 0);
    const ids = failFleet.map((c) => c.id);
    const putsHalted = await putsOf(ids);
    await afterWorkConsidered(stack); // two reconcile passes and every message handled
    expect(await putsOf(ids)).toEqual(putsHalted);
    const rows = await rowsOf(stack, id);
    const failed = [...rows.values()].filter((r: Json) => r.state === 'Failed');
    expect(failed.length).toBe(3);
    for (const r of failed) {
      expect({ reason: r.reason, message: r.message }).toEqual({
        reason: 'InjectedChartFailure',
        message: expect.stringContaining('pre-install hook failed: injected by the test'),
      });
      expect(putsHalted.get(r.id)).toBe(1);
    }
    const pending = [...rows.values()].filter((x: Json) => x.state === 'Pending');
    for (const r of pending) expect(putsHalted.get(r.id)).toBe(0);
    expect((await rolloutOf(stack, id)).state).toBe('Halted');

    // The halted rollout still owns its clusters and its policy: an Event Grid event for one of its Pending
    // clusters onboards nothing past the halt, and a second rollout of the policy is refused.
    expect(pending.length).toBeGreaterThan(0);
    await postEvents(stack, [clusterEvent(String(pending[0].id), 'write')]);
    const second = await stack.api('POST', '/api/rollouts', { policy: 'fail' });
    expect(second.status, JSON.stringify(second.body)).toBe(409);
    expect(second.body.error.code).toBe('RolloutAlreadyRunning');
    await afterWorkConsidered(stack); // the event was handled (the POST answered); then two reconcile passes
    expect(await putsOf(ids)).toEqual(putsHalted);
    const ofPolicy = (await stack.api('GET', '/api/rollouts')).body.items.filter(
      (r: Json) => r.policy === 'fail',
    );
    expect(ofPolicy.map((r: Json) => r.id)).toEqual([id]); // no rollout started by the event

    await stack.control.clearFaults();
    const retried = await stack.api('POST', `/api/rollouts/${id}/retry-failed`);
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    const done = await waitRollout(stack, id);
    expect(done.state).toBe('Succeeded');
    expect(done.counts).toMatchObject({ succeeded: 10, failed: 0 });
    for (const c of failFleet) expect(await osmVersionOf(stack, c.id), c.name).toBe('1.2.6');
    const puts = await putsOf(ids);
    for (const r of failed) expect(puts.get(r.id)).toBe(2);
    expect(total(puts)).toBe(13);
  }, 90_000); // three waits for two full reconcile passes each
});

describe('pause, resume, cancel', () => {
  it('pause stops new dispatches, resume continues, cancel stops', async () => {
    await putPolicy(stack, 'cmd', {
      target: { resourceGroups: ['rg-cmd'] },
      osm: { version: '1.2.6' },
      rollout: oneWave(2),
    });
    const ids = cmdFleet.map((c) => c.id);
    const id = await startRollout(stack, 'cmd');
    const paused = await stack.api('POST', `/api/rollouts/${id}/pause`);
    expect(paused.status).toBe(200);
    expect(paused.body.state).toBe('Paused');
    // the clusters in flight when paused finish their operation
    const settled = await waitFor(async () => {
      const r = await rolloutOf(stack, id);
      return r.counts.inProgress === 0 && r;
    });
    expect(settled.state).toBe('Paused');
    expect(settled.counts.succeeded).toBeGreaterThanOrEqual(1);
    expect(settled.counts.succeeded).toBeLessThanOrEqual(2);
    const putsPaused = await putsOf(ids);
    expect(total(putsPaused)).toBe(settled.counts.succeeded);
    await afterWorkConsidered(stack); // two reconcile passes and every message handled
    expect(await putsOf(ids)).toEqual(putsPaused);
    expect((await rolloutOf(stack, id)).counts.pending).toBe(12 - settled.counts.succeeded);

    expect((await stack.api('POST', `/api/rollouts/${id}/resume`)).body.state).toBe('Running');
    await waitFor(async () => (await rolloutOf(stack, id)).counts.succeeded >= settled.counts.succeeded + 2);
    const cancelled = await stack.api('POST', `/api/rollouts/${id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.state).toBe('Cancelled');
    await waitFor(async () => (await rolloutOf(stack, id)).counts.inProgress === 0);
    await afterWorkConsidered(stack); // two reconcile passes and every message handled

    const rows = await rowsOf(stack, id);
    const puts = await putsOf(ids);
    const states = [...rows.values()].map((r: Json) => r.state as string);
    expect(states.every((s) => s === 'Succeeded' || s === 'Cancelled')).toBe(true);
    expect(states.filter((s) => s === 'Cancelled').length).toBeGreaterThan(0);
    for (const c of cmdFleet) {
      const row = rows.get(c.id.toLowerCase());
      if (row.state === 'Cancelled') expect(puts.get(c.id.toLowerCase()), c.name).toBe(0);
      else expect(await osmVersionOf(stack, c.id), c.name).toBe('1.2.6');
    }
    expect(total(puts)).toBe(states.filter((s) => s === 'Succeeded').length);
    expect((await rolloutOf(stack, id)).state).toBe('Cancelled');
  });
});

describe('cancel during a multi-hop upgrade', () => {
  const hopFleet = ['h-1', 'h-2'].map((n) =>
    seedCluster(S, 'rg-cancel-hops', n, { extensions: [osmExt('0.11.1')] }),
  );

  it('finishes the hop in flight and starts no further hop', async () => {
    await seedAndSettle(stack, hopFleet);
    await stack.control.config({ installMs: 1_000, installJitterMs: 0 });
    try {
      await putPolicy(stack, 'cancel-hops', {
        target: { resourceGroups: ['rg-cancel-hops'] },
        osm: { version: '1.2.6' },
        rollout: oneWave(2),
      });
      const ids = hopFleet.map((c) => c.id);
      const id = await startRollout(stack, 'cancel-hops');
      await waitFor(async () => [...(await putsOf(ids)).values()].every((n) => n === 1));
      const cancelled = await stack.api('POST', `/api/rollouts/${id}/cancel`);
      expect(cancelled.body.state).toBe('Cancelled');
      await waitFor(async () => {
        const rows = await rowsOf(stack, id);
        return [...rows.values()].every((r: Json) => r.state !== 'InProgress');
      });
      await afterWorkConsidered(stack); // a next hop would have been sent by a check or a reconcile pass
      expect([...(await putsOf(ids)).values()]).toEqual([1, 1]);
      const rows = await rowsOf(stack, id);
      for (const c of hopFleet) {
        expect(await osmVersionOf(stack, c.id), c.name).toBe('1.0.0-1');
        expect(rows.get(c.id.toLowerCase())).toMatchObject({ state: 'Cancelled', hop: 1 });
      }
      expect((await rolloutOf(stack, id)).counts).toMatchObject({ cancelled: 2, inProgress: 0 });
    } finally {
      await stack.control.config({ installMs: 300, installJitterMs: 50 });
    }
  });
});

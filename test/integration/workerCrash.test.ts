/**
 * Scenario 10: a worker that dies between the ARM PUT and the table write recording it. Simulated in the
 * real stack: right after `beginPutExtension` returns for the chosen cluster, the next cluster-row write
 * throws once, so the step's queue message fails and the local host redelivers it. The redelivery must
 * not PUT again (the emulator counts PUTs per extension) and the row must still end Succeeded.
 * Also: a worker that dies right after the row write that ended the hop, before its history append: the
 * redelivered message appends the event the row kept (`lastEvent`), once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBS, startFleetStack, waitFor, type FleetStack } from '../support/fleetStack.js';
import {
  extensionOf,
  historyOf,
  type Json,
  osmExt,
  putPolicy,
  rowsOf,
  seedAndSettle,
  seedCluster,
  startRollout,
  waitRollout,
} from '../support/rolloutFlow.js';

const S = SUBS[1]!;
const quick = seedCluster(S, 'rg-crash-a', 'crash-quick');
const slow = seedCluster(S, 'rg-crash-b', 'crash-slow', { distribution: 'eks' });
const hops = seedCluster(S, 'rg-crash-c', 'crash-hops', {
  extensions: [osmExt('1.0.0', { 'osm.osm.envoyLogLevel': 'debug' })],
});
const audited = seedCluster(S, 'rg-crash-d', 'crash-audited');

let stack: FleetStack;
beforeAll(async () => {
  stack = await startFleetStack({ reconcileEveryMs: 500 });
  await seedAndSettle(stack, [quick, slow, hops, audited]);
}, 30_000); // stack start-up on a busy 2-core machine
afterAll(async () => stack?.stop());

/**
 * Arms a one-shot crash: after the `nth` PUT on `clusterId`, the next row write of that cluster throws.
 * Returns a probe telling whether the crash happened.
 */
function crashAfterPut(clusterId: string, nth = 1): { crashed: () => boolean } {
  const { arm, rollouts } = stack.app.deps;
  const put = arm.beginPutExtension.bind(arm);
  const update = rollouts.updateCluster.bind(rollouts);
  let puts = 0;
  let armed = false;
  let crashed = false;
  arm.beginPutExtension = async (id, name, body) => {
    const started = await put(id, name, body);
    if (id.toLowerCase() === clusterId.toLowerCase() && ++puts === nth) armed = true;
    return started;
  };
  rollouts.updateCluster = async (value, etag) => {
    if (armed && !crashed && value.clusterId === clusterId.toLowerCase()) {
      crashed = true;
      throw new Error('simulated crash: worker died after the ARM PUT, before the row write');
    }
    return update(value, etag);
  };
  return { crashed: () => crashed };
}

async function rollOut(policy: string, rg: string): Promise<Json> {
  await putPolicy(stack, policy, { target: { resourceGroups: [rg] }, osm: { version: '1.2.6' } });
  const id = await startRollout(stack, policy);
  const done = await waitRollout(stack, id);
  return { done, rows: await rowsOf(stack, id) };
}

describe('a worker dies between the ARM PUT and the row write', () => {
  it('redelivered after the operation finished: no second PUT, row Succeeded', async () => {
    const probe = crashAfterPut(quick.id);
    const { done, rows } = await rollOut('crash-a', 'rg-crash-a');
    expect(probe.crashed()).toBe(true);
    expect(done.state).toBe('Succeeded');
    expect(rows.get(quick.id.toLowerCase())).toMatchObject({ state: 'Succeeded', attempts: 1 });
    const ext = await extensionOf(stack, quick.id);
    expect(ext?.puts).toBe(1);
    expect(ext?.resource.properties.currentVersion).toBe('1.2.6');
    const h = await historyOf(stack, S, 'rg-crash-a', 'crash-quick');
    expect(h.filter((e: Json) => e.action === 'InstallSucceeded')).toHaveLength(1);
  });

  it('redelivered while the operation still runs: no second PUT, row Succeeded', async () => {
    await stack.control.config({ installMs: 2_500, installJitterMs: 0 });
    try {
      const probe = crashAfterPut(slow.id);
      const { done, rows } = await rollOut('crash-b', 'rg-crash-b');
      expect(probe.crashed()).toBe(true);
      expect(done.state).toBe('Succeeded');
      expect(rows.get(slow.id.toLowerCase())).toMatchObject({ state: 'Succeeded', attempts: 1 });
      const ext = await extensionOf(stack, slow.id);
      expect(ext?.puts).toBe(1);
      expect(ext?.resource.properties.currentVersion).toBe('1.2.6');
    } finally {
      await stack.control.config({ installMs: 150, installJitterMs: 50 });
    }
  });

  it('a crash on the second hop of an upgrade: one PUT per hop, settings kept', async () => {
    const probe = crashAfterPut(hops.id, 2);
    const { done, rows } = await rollOut('crash-c', 'rg-crash-c');
    expect(probe.crashed()).toBe(true);
    expect(done.state).toBe('Succeeded');
    expect(rows.get(hops.id.toLowerCase())).toMatchObject({
      state: 'Succeeded',
      path: ['1.1.1-1', '1.2.6'],
    });
    const ext = await extensionOf(stack, hops.id);
    expect(ext?.puts).toBe(2);
    expect(ext?.resource.properties.currentVersion).toBe('1.2.6');
    expect(ext?.runningSettings['osm.osm.envoyLogLevel']).toBe('debug');
  });

  it('a crash after the hop-ending row write, before the history append: the event is recorded once', async () => {
    const { rollouts } = stack.app.deps;
    const update = rollouts.updateCluster.bind(rollouts);
    let crashed = false;
    rollouts.updateCluster = async (value, etag) => {
      const etagOut = await update(value, etag);
      if (!crashed && value.clusterId === audited.id.toLowerCase() && value.state === 'Succeeded') {
        crashed = true;
        throw new Error('simulated crash: worker died after the row write, before the history append');
      }
      return etagOut;
    };
    const { done, rows } = await rollOut('crash-d', 'rg-crash-d');
    expect(crashed).toBe(true);
    expect(done.state).toBe('Succeeded');
    expect(rows.get(audited.id.toLowerCase())).toMatchObject({ state: 'Succeeded', attempts: 1 });
    // The rollout may finish before the host redelivers the message (1 s later): wait for the event.
    const h = await waitFor(
      async () => {
        const events = await historyOf(stack, S, 'rg-crash-d', 'crash-audited');
        return events.some((e: Json) => e.action === 'InstallSucceeded') && events;
      },
      10_000,
      () => 'for InstallSucceeded in the history',
    );
    expect(h.map((e: Json) => [e.action, e.seq])).toEqual([
      ['InstallSucceeded', 2],
      ['InstallStarted', 1],
      ['RolloutPlanned', 0],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { QUEUES } from '../../shared/domain/records.js';
import { reconcileRollout } from '../../shared/services/reconcileRollout.js';
import type { FakeDeps } from '../fakes/fakeDeps.js';
import {
  installFleet,
  newDeps,
  patchRow,
  plantRollout,
  policyInput,
  row,
  rows,
  seedPolicy,
  stepMessages,
  workerPass,
} from './engineFixtures.js';

async function setup(n: number, rollout: object = {}) {
  const deps = newDeps();
  const fleet = installFleet(deps, 'c', n);
  const policy = await seedPolicy(deps, 'prod', policyInput(rollout));
  const id = await plantRollout(deps, policy);
  const ids = fleet.map((c) => c.id.toLowerCase());
  return { deps, id, ids };
}

async function inProgressPerWave(deps: FakeDeps, id: string): Promise<number[]> {
  const counts: number[] = [];
  for (const r of await rows(deps, id))
    if (r.state === 'InProgress') counts[r.wave] = (counts[r.wave] ?? 0) + 1;
  return counts;
}

describe('dispatch', () => {
  it('respects maxParallel and writes each row InProgress before its message is sent', async () => {
    const { deps, id } = await setup(7);
    const send = deps.queue.send.bind(deps.queue);
    const seenAtSend: string[] = [];
    deps.queue.send = async (queue, message, options) => {
      seenAtSend.push((await row(deps, message.rolloutId, message.clusterId)).state);
      return send(queue, message, options);
    };
    const summary = await reconcileRollout(deps, id);
    expect(summary.outcome).toBe('advanced');
    expect(summary.dispatched).toHaveLength(3);
    expect(seenAtSend).toEqual(['InProgress', 'InProgress', 'InProgress']);
    expect(stepMessages(deps)).toEqual(
      summary.dispatched.map((clusterId) => ({ rolloutId: id, clusterId, hop: 0 })),
    );
    const dispatchedRow = await row(deps, id, summary.dispatched[0]!);
    expect(dispatchedRow).toMatchObject({ reason: 'Dispatched', updatedAt: deps.clock.now().toISOString() });
    // Nothing more while the slots are full.
    expect((await reconcileRollout(deps, id)).dispatched).toEqual([]);
  });
});

describe('a simulated run with a fake worker', () => {
  it('finishes every wave, one slot at a time, honouring the soak', async () => {
    const { deps, id } = await setup(8, {
      waves: [
        { name: 'canary', count: 2, maxParallel: 1, soakMinutes: 30 },
        { name: 'rest', percent: 100, maxParallel: 3 },
      ],
    });
    const runPasses = async () => {
      for (let i = 0; i < 50; i++) {
        const per = await inProgressPerWave(deps, id);
        expect(per[0] ?? 0).toBeLessThanOrEqual(1);
        expect(per[1] ?? 0).toBeLessThanOrEqual(3);
        if ((await workerPass(deps)).length === 0) return;
      }
    };
    await reconcileRollout(deps, id);
    await runPasses();
    const soaking = (await deps.rollouts.get(id))!.value.rollout;
    expect(soaking.waveSoakUntil).toBe(new Date(deps.clock.now().getTime() + 30 * 60_000).toISOString());
    expect((await rows(deps, id)).filter((r) => r.wave === 1).every((r) => r.state === 'Pending')).toBe(true);

    deps.clock.advance(29 * 60_000);
    expect((await reconcileRollout(deps, id)).dispatched).toEqual([]);
    deps.clock.advance(60_000);
    expect((await reconcileRollout(deps, id)).dispatched).toHaveLength(3);
    await runPasses();

    const done = (await deps.rollouts.get(id))!.value.rollout;
    expect(done).toMatchObject({ state: 'Succeeded', finishedAt: deps.clock.now().toISOString() });
    expect((await rows(deps, id)).every((r) => r.state === 'Succeeded')).toBe(true);
    expect(stepMessages(deps)).toHaveLength(0);
    expect(deps.log.lines.map((l) => l.phrase)).toEqual(
      expect.arrayContaining(['wave started', 'wave complete', 'wave soaking', 'rollout finished']),
    );
  });

  it('halts when failures pass maxFailurePercent, and dispatches nothing after', async () => {
    const { deps, id, ids } = await setup(10, {
      waves: [{ name: 'all', percent: 100, maxParallel: 2 }],
      maxFailurePercent: 20,
    });
    const failing = new Set([ids[2], ids[3]]);
    await reconcileRollout(deps, id);
    for (let i = 0; i < 20 && (await workerPass(deps, (c) => failing.has(c))).length > 0; i++);
    const r = (await deps.rollouts.get(id))!.value.rollout;
    expect(r.state).toBe('Halted');
    expect(r.haltedReason).toMatch(/failed/);
    const states = (await rows(deps, id)).map((x) => x.state);
    expect(states.filter((s) => s === 'Pending')).toHaveLength(6);
    expect((await reconcileRollout(deps, id)).actions).toEqual([]);
    expect(deps.log.lines.some((l) => l.phrase === 'rollout halted' && l.level === 'warn')).toBe(true);
  });
});

describe('concurrent reconciles', () => {
  it('two racing calls dispatch each cluster exactly once', async () => {
    const { deps, id } = await setup(7);
    const [a, b] = await Promise.all([reconcileRollout(deps, id), reconcileRollout(deps, id)]);
    expect([a.outcome, b.outcome].sort()).toEqual(['advanced', 'lostRace']);
    const sent = stepMessages(deps).map((m) => m.clusterId);
    expect(sent).toHaveLength(3);
    expect(new Set(sent).size).toBe(3);
  });

  it('an instance that read before another dispatched does not dispatch again (stale row ETags)', async () => {
    const { deps, id } = await setup(7);
    const updateClusters = deps.rollouts.updateClusters.bind(deps.rollouts);
    let other: Awaited<ReturnType<typeof reconcileRollout>> | undefined;
    let raced = false;
    deps.rollouts.updateClusters = async (values) => {
      if (!raced) {
        raced = true;
        other = await reconcileRollout(deps, id); // runs in full between our read and our write
      }
      return updateClusters(values);
    };
    const mine = await reconcileRollout(deps, id);
    expect(other?.dispatched).toHaveLength(3);
    expect(mine.dispatched).toEqual([]);
    const sent = stepMessages(deps).map((m) => m.clusterId);
    expect(sent.sort()).toEqual([...other!.dispatched].sort());
  });

  it('an instance that loses the rollout ETag write stops', async () => {
    const { deps, id } = await setup(7);
    const update = deps.rollouts.update.bind(deps.rollouts);
    let other: Awaited<ReturnType<typeof reconcileRollout>> | undefined;
    let raced = false;
    deps.rollouts.update = async (value, etag) => {
      if (!raced) {
        raced = true;
        other = await reconcileRollout(deps, id);
      }
      return update(value, etag);
    };
    const mine = await reconcileRollout(deps, id);
    expect(mine.outcome).toBe('lostRace');
    expect(other?.dispatched).toHaveLength(3);
    expect(stepMessages(deps)).toHaveLength(3);
  });
});

describe('lost-message repair', () => {
  it('re-sends a step after 2 x checkDelayMs + 60 s, not before', async () => {
    const { deps, id, ids } = await setup(1);
    await reconcileRollout(deps, id);
    deps.queue.drain(); // the message was lost
    deps.clock.advance(2 * 15_000 + 60_000);
    expect((await reconcileRollout(deps, id)).repaired).toEqual({ steps: 0, checks: 0, monitors: 0 });
    deps.clock.advance(1);
    expect((await reconcileRollout(deps, id)).repaired).toEqual({ steps: 1, checks: 0, monitors: 0 });
    expect(deps.queue.sent).toEqual([
      { queue: QUEUES.clusterSteps, message: { rolloutId: id, clusterId: ids[0], hop: 0 }, delayMs: 0 },
    ]);
    expect(deps.log.lines.some((l) => l.phrase === 'lost step message re-sent')).toBe(true);
  });

  it('re-sends a check after two heartbeats + checkDelayMs without a row update, not before', async () => {
    const { deps, id, ids } = await setup(1);
    await reconcileRollout(deps, id);
    deps.queue.drain();
    const at = deps.clock.now().toISOString();
    await patchRow(deps, id, ids[0]!, {
      hop: 0,
      updatedAt: at,
      operation: { kind: 'put', extensionName: 'osm', operationId: 'op-9', startedAt: at, deadline: at },
    });
    // checkDelayMs 15 s -> heartbeat 60 s: a live check chain bumps the row at least that often.
    deps.clock.advance(2 * 60_000 + 15_000);
    expect((await reconcileRollout(deps, id)).repaired.checks).toBe(0);
    deps.clock.advance(1);
    expect((await reconcileRollout(deps, id)).repaired.checks).toBe(1);
    expect(deps.queue.sent).toEqual([
      {
        queue: QUEUES.clusterChecks,
        message: { rolloutId: id, clusterId: ids[0], hop: 0, operationId: 'op-9' },
        delayMs: 0,
      },
    ]);
  });

  it('can be switched off (freed slots leave it to the timer)', async () => {
    const { deps, id } = await setup(1);
    await reconcileRollout(deps, id);
    deps.queue.drain();
    deps.clock.advance(10 * 60_000);
    const s = await reconcileRollout(deps, id, undefined, { repairLostMessages: false });
    expect(s.repaired).toEqual({ steps: 0, checks: 0, monitors: 0 });
    expect(deps.queue.sent).toEqual([]);
  });
});

describe('connectivity', () => {
  it('defers offline Pending clusters and dispatches them once Connected and a slot is free', async () => {
    const { deps, id, ids } = await setup(4, { waves: [{ name: 'all', percent: 100, maxParallel: 1 }] });
    const map = (offline: string[]) =>
      new Map(ids.map((c) => [c, offline.includes(c) ? 'Offline' : 'Connected']));
    const first = await reconcileRollout(deps, id, map([ids[0]!]));
    expect(first.deferred).toEqual([ids[0]]);
    expect(first.dispatched).toEqual([ids[1]]);
    expect(await row(deps, id, ids[0]!)).toMatchObject({ state: 'Deferred', reason: 'ClusterOffline' });
    expect(deps.history.events.find((e) => e.action === 'ClusterDeferred')?.clusterId).toBe(ids[0]);

    const second = await reconcileRollout(deps, id, map([]));
    expect(second.undeferred).toEqual([ids[0]]);
    expect(await row(deps, id, ids[0]!)).toMatchObject({ state: 'Pending', reason: 'ClusterConnected' });

    await patchRow(deps, id, ids[1]!, { state: 'Succeeded' });
    await reconcileRollout(deps, id, map([ids[2]!]));
    expect(await row(deps, id, ids[0]!)).toMatchObject({ state: 'InProgress' });
  });

  it('without a map, a Deferred row reads the inventory (unknown = online)', async () => {
    const deps = newDeps();
    const [a, b, c] = installFleet(deps, 'c', 3).map((x) => {
      deps.arm.cluster(x.id).connectivity = 'Offline';
      return x;
    });
    const policy = await seedPolicy(deps, 'prod', policyInput());
    const id = await plantRollout(deps, policy);
    const record = (x: typeof a, connectivity: string) => ({
      cluster: { ...x!, connectivity },
      discoveredAt: deps.clock.now().toISOString(),
      monitorInstalled: false,
    });
    await deps.inventory.upsertMany([record(a, 'Connected'), record(b, 'Offline')]);
    const s = await reconcileRollout(deps, id);
    expect(s.dispatched.sort()).toEqual([a!.id.toLowerCase(), c!.id.toLowerCase()].sort());
    expect((await row(deps, id, b!.id)).state).toBe('Deferred');
  });

  it('a missing rollout is reported, not thrown', async () => {
    const deps = newDeps();
    expect((await reconcileRollout(deps, 'nope')).outcome).toBe('notFound');
  });
});

/**
 * Issue 17: a fleet-wide rollout started through the API is written Planning at once; the planning worker
 * sweeps, plans and writes the rows in chunks, repeatable after a crash, stopped by a cancel, failed by a
 * poisoned message, re-sent when it stalls.
 */
import { describe, expect, it } from 'vitest';
import { normalizeId } from '../../shared/domain/armId.js';
import { QUEUES } from '../../shared/domain/records.js';
import { createRollout } from '../../shared/services/createRollout.js';
import { PLANNING_STALL_MS, planningMessage } from '../../shared/services/planningMessage.js';
import { failPlanning, PLANNING_CHUNK, planRollout } from '../../shared/services/planRollout.js';
import { reconcileRollout } from '../../shared/services/reconcileRollout.js';
import { rolloutCommand } from '../../shared/services/rolloutCommand.js';
import { getRolloutView } from '../../shared/services/rolloutViews.js';
import { rolloutEvents } from '../fakes/clusterRows.js';
import type { FakeDeps } from '../fakes/fakeDeps.js';
import { installFleet, newDeps, policyInput, rows, seedPolicy, stepMessages } from './engineFixtures.js';

async function planning(n: number): Promise<{ deps: FakeDeps; id: string; sweeps: () => number }> {
  const deps = newDeps();
  installFleet(deps, 'c', n);
  let sweeps = 0;
  const sweep = deps.fleet.sweep.bind(deps.fleet);
  deps.fleet = { sweep: (f) => (sweeps++, sweep(f)) } as FakeDeps['fleet'];
  await seedPolicy(deps, 'prod', policyInput());
  const r = await createRollout(deps, {
    policyName: 'prod',
    trigger: 'api',
    actor: 'api:alice',
    planLater: true,
  });
  return { deps, id: r.rollout.id, sweeps: () => sweeps };
}

const planningSent = (deps: FakeDeps) => deps.queue.sent.filter((m) => m.queue === QUEUES.rolloutPlanning);
/** RolloutPlanned events, in history or still on their rows (they reach history when the hop settles). */
const plannedEvents = async (deps: FakeDeps, id: string) =>
  (await rolloutEvents(deps, id)).filter((e) => e.action === 'RolloutPlanned');

describe('createRollout with planLater', () => {
  it('writes the rollout Planning with no rows, queues one planning message, sweeps nothing', async () => {
    const { deps, id, sweeps } = await planning(5);
    expect(await getRolloutView(deps, id)).toMatchObject({
      state: 'Planning',
      clusterCount: 0,
      planning: { written: 0, total: null, finishedAt: null },
    });
    expect(await rows(deps, id)).toEqual([]);
    expect(planningSent(deps).map((m) => m.message)).toEqual([planningMessage(id)]);
    expect(sweeps()).toBe(0);
    await expect(
      createRollout(deps, { policyName: 'prod', trigger: 'api', actor: 'x', planLater: true }),
    ).rejects.toMatchObject({ code: 'RolloutAlreadyRunning' });
    await expect(rolloutCommand(deps, id, 'pause', {}, 'x')).rejects.toMatchObject({
      code: 'RolloutPlanning',
    });
  });
});

describe('planRollout', () => {
  it('plans in chunks: every row, inventory row and event once; then Pending and the first wave dispatched', async () => {
    const n = 2 * PLANNING_CHUNK + 500;
    const { deps, id, sweeps } = await planning(n);
    const progress: number[] = [];
    const update = deps.rollouts.update.bind(deps.rollouts);
    deps.rollouts.update = async (v, etag) => (progress.push(v.planning?.written ?? -1), update(v, etag));
    expect(await planRollout(deps, planningMessage(id))).toEqual({ outcome: 'done', reason: 'Planned' });
    expect(sweeps()).toBe(1);
    expect(progress.slice(0, 4)).toEqual([1000, 2000, 2500, 2500]); // a checkpoint per chunk, then the flip
    const view = await getRolloutView(deps, id);
    expect(view).toMatchObject({ state: 'Running', clusterCount: n, planning: { written: n, total: n } });
    expect(view.planning?.finishedAt).toEqual(expect.any(String));
    expect(await rows(deps, id)).toHaveLength(n);
    const planned = await plannedEvents(deps, id);
    expect(planned).toHaveLength(n);
    expect(planned.every((e) => e.actor === 'api:alice' && e.rolloutId === id)).toBe(true);
    expect(deps.inventory.table.values()).toHaveLength(n);
    expect(stepMessages(deps)).toHaveLength(3); // maxParallel 3
    expect(await planRollout(deps, planningMessage(id))).toMatchObject({
      outcome: 'ignored',
      reason: 'NotPlanning',
    });
  });

  it('a worker killed mid-chunk: the message again completes it with no row or event twice', async () => {
    const n = 2 * PLANNING_CHUNK + 10;
    const { deps, id } = await planning(n);
    const put = deps.rollouts.insertClusters.bind(deps.rollouts);
    let calls = 0;
    deps.rollouts.insertClusters = async (rid, chunk) => {
      if (++calls === 2) {
        await put(rid, chunk.slice(0, 400)); // part of the second chunk written, then the process dies
        throw new Error('killed');
      }
      return put(rid, chunk);
    };
    await expect(planRollout(deps, planningMessage(id))).rejects.toThrow('killed');
    expect((await getRolloutView(deps, id)).state).toBe('Planning');
    expect((await rows(deps, id)).length).toBe(PLANNING_CHUNK + 400);

    installFleet(deps, 'late', 1); // a cluster that connected since
    deps.clock.advance(60_000);
    expect(await planRollout(deps, planningMessage(id))).toMatchObject({ outcome: 'done' });
    const all = await rows(deps, id);
    expect(all).toHaveLength(n + 1);
    expect(new Set(all.map((r) => normalizeId(r.clusterId))).size).toBe(n + 1);
    const perCluster = new Map<string, number>();
    for (const e of await plannedEvents(deps, id))
      perCluster.set(e.clusterId, (perCluster.get(e.clusterId) ?? 0) + 1);
    expect([...perCluster.values()].every((c) => c === 1)).toBe(true);
    expect(perCluster.size).toBe(n + 1);
    expect(await getRolloutView(deps, id)).toMatchObject({ state: 'Running', clusterCount: n + 1 });
  });

  it('a rollout cancelled while planning: the worker stops and cancels the rows it wrote', async () => {
    const { deps, id } = await planning(PLANNING_CHUNK + 5);
    const put = deps.rollouts.insertClusters.bind(deps.rollouts);
    deps.rollouts.insertClusters = async (rid, chunk) => {
      await put(rid, chunk);
      await rolloutCommand(deps, id, 'cancel', {}, 'api:bob');
    };
    expect(await planRollout(deps, planningMessage(id))).toMatchObject({ outcome: 'ignored' });
    expect((await getRolloutView(deps, id)).state).toBe('Cancelled');
    const states = new Set((await rows(deps, id)).map((r) => r.state));
    expect([...states]).toEqual(['Cancelled']);
    expect(stepMessages(deps)).toHaveLength(0);
  });

  it('a poisoned planning message ends the rollout Failed with the reason, and frees the policy', async () => {
    const { deps, id } = await planning(3);
    expect(await failPlanning(deps, planningMessage(id), 'sweep failed five times')).toMatchObject({
      outcome: 'stalled',
      reason: 'PlanningFailed',
    });
    const view = await getRolloutView(deps, id);
    expect(view).toMatchObject({ state: 'Failed', planning: { error: 'sweep failed five times' } });
    expect(view.finishedAt).toEqual(expect.any(String));
    await expect(
      createRollout(deps, { policyName: 'prod', trigger: 'api', actor: 'x', planLater: true }),
    ).resolves.toMatchObject({ rollout: { state: 'Planning' } });
  });

  it('the timer re-sends the message of a Planning rollout that stalled, and only then', async () => {
    const { deps, id } = await planning(3);
    deps.queue.drain();
    await reconcileRollout(deps, id);
    expect(planningSent(deps)).toHaveLength(0);
    deps.clock.advance(PLANNING_STALL_MS);
    await reconcileRollout(deps, id);
    expect(planningSent(deps).map((m) => m.message)).toEqual([planningMessage(id)]);
  });
});

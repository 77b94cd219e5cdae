import { describe, expect, it } from 'vitest';
import { createRollout } from '../../shared/services/createRollout.js';
import { rolloutEvents } from '../fakes/clusterRows.js';
import { reconcileFleet } from '../../shared/services/reconcileFleet.js';
import {
  STRICT,
  cluster,
  installFleet,
  newDeps,
  osm,
  policyInput,
  row,
  seedPolicy,
} from './engineFixtures.js';

const DAILY_3AM = '0 0 3 * * *';
const YESTERDAY = '2026-11-24T12:00:00.000Z'; // the clock starts at 2026-11-25T10:00Z: 03:00 today is due

describe('reconcileFleet', () => {
  it('refreshes the inventory from one sweep and keeps leases', async () => {
    const deps = newDeps();
    const [a] = installFleet(deps, 'c', 3);
    await deps.inventory.upsertMany([
      {
        cluster: a!,
        discoveredAt: YESTERDAY,
        monitorInstalled: false,
        lease: { holder: 'rollout:x', until: '2026-11-25T11:00:00.000Z' },
      },
    ]);
    const summary = await reconcileFleet(deps);
    expect(summary.clusters).toBe(3);
    const inv = (await deps.inventory.get(a!.id))!.value;
    expect(inv.discoveredAt).toBe(deps.clock.now().toISOString());
    expect(inv.lease?.holder).toBe('rollout:x');
    expect((await deps.inventory.list()).items).toHaveLength(3);
  });

  it('drives active rollouts with the sweep connectivity', async () => {
    const deps = newDeps();
    const fleet = installFleet(deps, 'c', 3);
    await seedPolicy(deps, 'prod', policyInput({ waves: [{ name: 'all', percent: 100, maxParallel: 1 }] }));
    const r = await createRollout(deps, { policyName: 'prod', trigger: 'api', actor: 'x' });
    deps.arm.cluster(fleet[2]!.id).connectivity = 'Offline';
    const summary = await reconcileFleet(deps);
    expect(summary.rollouts.map((s) => s.rolloutId)).toEqual([r.rollout.id]);
    expect((await row(deps, r.rollout.id, fleet[2]!.id)).state).toBe('Deferred');
  });

  it('a failing rollout does not stop the others', async () => {
    const deps = newDeps();
    installFleet(deps, 'c', 2);
    await seedPolicy(deps, 'a', policyInput());
    await seedPolicy(deps, 'b', policyInput());
    const ra = await createRollout(deps, { policyName: 'a', trigger: 'api', actor: 'x' });
    const rb = await createRollout(deps, { policyName: 'b', trigger: 'api', actor: 'x' });
    const get = deps.rollouts.get.bind(deps.rollouts);
    deps.rollouts.get = async (id) => {
      if (id === ra.rollout.id) throw new Error('table unavailable');
      return get(id);
    };
    const summary = await reconcileFleet(deps);
    expect(summary.failed).toEqual([ra.rollout.id]);
    expect(summary.rollouts.map((s) => s.rolloutId)).toEqual([rb.rollout.id]);
    expect(deps.log.lines.some((l) => l.phrase === 'rollout reconcile failed' && l.level === 'error')).toBe(
      true,
    );
  });
});

describe('schedules', () => {
  it('a due schedule with work starts one rollout, once per occurrence', async () => {
    const deps = newDeps();
    installFleet(deps, 'c', 2);
    await seedPolicy(deps, 'nightly', policyInput({}, { schedule: DAILY_3AM }), YESTERDAY);
    const first = await reconcileFleet(deps);
    expect(first.schedules).toEqual([
      { policy: 'nightly', outcome: 'started', rolloutId: expect.any(String) },
    ]);
    const [active] = await deps.rollouts.listActive();
    expect(active?.value).toMatchObject({ trigger: 'schedule', rollout: { policy: 'nightly' } });
    expect((await deps.policies.get('nightly'))?.value.lastScheduledRunAt).toBe(
      deps.clock.now().toISOString(),
    );
    const events = await rolloutEvents(deps, active!.value.rollout.id);
    expect(events.find((e) => e.action === 'RolloutPlanned')?.actor).toBe('timer');

    deps.clock.advance(60_000);
    expect((await reconcileFleet(deps)).schedules).toEqual([]);
    expect((await deps.rollouts.list()).items).toHaveLength(1);
  });

  it('two racing timers start it once', async () => {
    const deps = newDeps();
    installFleet(deps, 'c', 2);
    await seedPolicy(deps, 'nightly', policyInput({}, { schedule: DAILY_3AM }), YESTERDAY);
    const [a, b] = await Promise.all([reconcileFleet(deps), reconcileFleet(deps)]);
    const outcomes = [...a.schedules, ...b.schedules].map((s) => s.outcome).sort();
    // Both saw it due; the policy's ETag let one claim it.
    expect(outcomes).toEqual(['claimedByOther', 'started']);
    expect((await deps.rollouts.list()).items).toHaveLength(1);
  });

  it('not yet due: nothing happens', async () => {
    const deps = newDeps();
    installFleet(deps, 'c', 1);
    await seedPolicy(deps, 'nightly', policyInput({}, { schedule: DAILY_3AM }), '2026-11-25T04:00:00.000Z');
    expect((await reconcileFleet(deps)).schedules).toEqual([]);
    expect((await deps.policies.get('nightly'))?.value.lastScheduledRunAt).toBeUndefined();
  });

  it('a due schedule without work consumes the occurrence and starts nothing', async () => {
    const deps = newDeps();
    deps.arm.addCluster(cluster('done', { extensions: [osm('1.2.6', STRICT)] }));
    await seedPolicy(deps, 'nightly', policyInput({}, { schedule: DAILY_3AM }), YESTERDAY);
    expect((await reconcileFleet(deps)).schedules).toEqual([{ policy: 'nightly', outcome: 'noWork' }]);
    expect((await deps.policies.get('nightly'))?.value.lastScheduledRunAt).toBe(
      deps.clock.now().toISOString(),
    );
    expect((await deps.rollouts.list()).items).toHaveLength(0);
  });

  it('a due schedule whose policy has an active rollout starts nothing', async () => {
    const deps = newDeps();
    installFleet(deps, 'c', 5);
    await seedPolicy(
      deps,
      'nightly',
      policyInput({ waves: [{ name: 'all', percent: 100, maxParallel: 1 }] }, { schedule: DAILY_3AM }),
      YESTERDAY,
    );
    const running = await createRollout(deps, { policyName: 'nightly', trigger: 'api', actor: 'x' });
    const { schedules } = await reconcileFleet(deps);
    expect(schedules).toEqual([{ policy: 'nightly', outcome: 'rolloutActive', reason: running.rollout.id }]);
    expect((await deps.rollouts.list()).items).toHaveLength(1);
  });
});

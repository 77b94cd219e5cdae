import { describe, expect, it } from 'vitest';
import type { ClusterInfo } from '../../shared/domain/cluster.js';
import { parsePolicy } from '../../shared/domain/policy.js';
import { correctDrift } from '../../shared/services/correctDrift.js';
import { createRollout } from '../../shared/services/createRollout.js';
import { detectDrift } from '../../shared/services/detectDrift.js';
import { toInventoryRecord } from '../../shared/services/toInventoryRecord.js';
import { SUB_A, cluster, osm } from '../domain/fixtures.js';
import { fakeDeps } from '../fakes/fakeDeps.js';

const KEY = 'osm.osm.enablePermissiveTrafficPolicy';
const policy = parsePolicy('prod', {
  target: { subscriptions: [SUB_A] },
  osm: { version: '1.2.6', configurationSettings: { [KEY]: 'false' } },
});

async function setup() {
  const deps = fakeDeps();
  await deps.policies.put(
    { policy, createdAt: '2026-11-25T09:00:00Z', updatedAt: '2026-11-25T09:00:00Z' },
    null,
  );
  /** One sweep as the timer does it: inventory refreshed, then drift detected. */
  const sweep = async (fleet: ClusterInfo[]) => {
    await deps.inventory.upsertMany(fleet.map((c) => toInventoryRecord(c, deps.clock.now())));
    deps.clock.advance(60_000);
    return detectDrift(deps, fleet);
  };
  const driftEvents = () => deps.history.events.filter((e) => e.action === 'DriftDetected');
  return { deps, sweep, driftEvents };
}
const withValue = (v: string | undefined) =>
  cluster('a', { extensions: [osm('1.2.6', v === undefined ? {} : { [KEY]: v })] });

describe('detectDrift', () => {
  it('raises one DriftDetected for a drift seen by two sweeps, naming the key and values', async () => {
    const { sweep, driftEvents } = await setup();
    expect(
      await sweep([withValue('true'), cluster('b', { extensions: [osm('1.2.6', { [KEY]: 'false' })] })]),
    ).toEqual({ reported: 1, cleared: 0, policies: ['prod'] });
    expect(await sweep([withValue('true')])).toEqual({ reported: 0, cleared: 0, policies: [] });
    expect(driftEvents()).toHaveLength(1);
    expect(driftEvents()[0]).toMatchObject({
      clusterId: withValue('true').id.toLowerCase(),
      actor: 'timer',
      result: 'Recorded',
    });
    expect(driftEvents()[0]?.message).toContain(`${KEY} is true, policy says false`);
  });

  it('raises a new event for a different drift, none for a compliant cluster, and again after a fix', async () => {
    const { sweep, driftEvents } = await setup();
    await sweep([withValue('true')]);
    await sweep([withValue(undefined)]); // another out-of-band change: the key removed
    expect(driftEvents()).toHaveLength(2);
    expect(driftEvents()[1]?.message).toContain('(unset)');
    expect(await sweep([withValue('false')])).toEqual({ reported: 0, cleared: 1, policies: [] });
    expect(driftEvents()).toHaveLength(2);
    await sweep([withValue('true')]); // the first change made again: reported again
    expect(driftEvents()).toHaveLength(3);
  });

  it('ignores clusters outside the target and clusters behind (not drift)', async () => {
    const { sweep, driftEvents } = await setup();
    const outside = cluster('x', {
      subscriptionId: '6a1b2c3d-0000-4000-8000-00000000000c',
      extensions: [osm('1.2.6', { [KEY]: 'true' })],
    });
    const behind = cluster('y', { extensions: [osm('1.1.1-1', { [KEY]: 'true' })] });
    expect(await sweep([outside, behind])).toEqual({ reported: 0, cleared: 0, policies: [] });
    expect(driftEvents()).toHaveLength(0);
  });
});

describe('correctDrift (the policy option)', () => {
  async function withOption(correct: boolean | undefined) {
    const deps = fakeDeps();
    const p = parsePolicy('prod', {
      target: { subscriptions: [SUB_A] },
      osm: { version: '1.2.6', configurationSettings: { [KEY]: 'false' } },
      rollout: {
        waves: [
          { name: 'canary', count: 1, maxParallel: 1 },
          { name: 'rest', percent: 100, maxParallel: 5 },
        ],
      },
      ...(correct === undefined ? {} : { correctDrift: correct }),
    });
    await deps.policies.put({ policy: p, createdAt: 'x', updatedAt: 'x' }, null);
    const fleet = [withValue('true'), cluster('b', { extensions: [osm('1.2.6', { [KEY]: 'false' })] })];
    for (const c of fleet) deps.arm.addCluster(c);
    const pass = async () => {
      await deps.inventory.upsertMany(fleet.map((c) => toInventoryRecord(c, deps.clock.now())));
      const drift = await detectDrift(deps, fleet);
      return correctDrift(deps, drift.policies, fleet);
    };
    return { deps, pass, fleet };
  }

  it('starts a rollout of the policy (trigger drift, with its waves) for a new drift, once', async () => {
    const { deps, pass } = await withOption(true);
    const started = await pass();
    expect(started).toHaveLength(1);
    const r = await deps.rollouts.get(started[0]!);
    expect(r?.value.trigger).toBe('drift');
    expect(r?.value.rollout.waves.map((w) => w.name)).toEqual(['canary', 'rest']);
    const rows = await deps.rollouts.listClusters(started[0]!);
    const drifted = rows.items.find((x) => x.value.clusterName === 'a');
    expect(drifted?.value.plannedAction).toBe('reconfigure');
    expect(await pass()).toEqual([]); // the same drift: reported already, no second rollout
  });

  it('does nothing without the option, and defers while a rollout of the policy is active', async () => {
    expect(await (await withOption(undefined)).pass()).toEqual([]);
    expect(await (await withOption(false)).pass()).toEqual([]);
    const { deps, pass, fleet } = await withOption(true);
    const active = await createRollout(deps, {
      policyName: 'prod',
      trigger: 'api',
      actor: 'api:test',
      clusters: fleet,
    });
    expect(['Pending', 'Running']).toContain(
      (await deps.rollouts.get(active.rollout.id))?.value.rollout.state,
    );
    expect(await pass()).toEqual([]);
    expect(deps.log.lines.some((l) => l.phrase === 'drift correction deferred')).toBe(true);
  });
});

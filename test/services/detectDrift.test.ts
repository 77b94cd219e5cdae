import { describe, expect, it } from 'vitest';
import type { ClusterInfo } from '../../shared/domain/cluster.js';
import { parsePolicy } from '../../shared/domain/policy.js';
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
    ).toEqual({
      reported: 1,
      cleared: 0,
    });
    expect(await sweep([withValue('true')])).toEqual({ reported: 0, cleared: 0 });
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
    expect(await sweep([withValue('false')])).toEqual({ reported: 0, cleared: 1 });
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
    expect(await sweep([outside, behind])).toEqual({ reported: 0, cleared: 0 });
    expect(driftEvents()).toHaveLength(0);
  });
});

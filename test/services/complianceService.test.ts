import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../../shared/domain/policy.js';
import { policyCompliance } from '../../shared/services/complianceService.js';
import { toInventoryRecord } from '../../shared/services/toInventoryRecord.js';
import { SUB_A, cluster, osm } from '../domain/fixtures.js';
import { fakeDeps } from '../fakes/fakeDeps.js';
import { clusterRow, rolloutRecord } from '../store/storeRecords.js';

const policy = parsePolicy('prod', { target: { subscriptions: [SUB_A] }, osm: { version: '1.2.6' } });

async function setup() {
  const deps = fakeDeps();
  await deps.policies.put({ policy, createdAt: 'x', updatedAt: 'x' }, null);
  return deps;
}

describe('policyCompliance', () => {
  it('says how old the sweep is, and that it is stale past the bound', async () => {
    const deps = await setup();
    const sweptAt = deps.clock.now();
    await deps.inventory.upsertMany([
      toInventoryRecord(cluster('a', { extensions: [osm('1.2.6')] }), sweptAt),
    ]);
    deps.clock.advance(90_000);
    const fresh = await policyCompliance(deps, 'prod');
    expect(fresh.sweep).toEqual({
      at: sweptAt.toISOString(),
      ageSeconds: 90,
      stale: false,
      maxAgeSeconds: 600,
    });
    expect(fresh.summary.counts.compliant).toBe(1);
    deps.clock.advance(11 * 60_000);
    expect((await policyCompliance(deps, 'prod')).sweep.stale).toBe(true);
  });

  it('no inventory yet: no sweep, stale, nothing counted', async () => {
    const deps = await setup();
    const v = await policyCompliance(deps, 'prod');
    expect(v.sweep).toMatchObject({ at: null, ageSeconds: null, stale: true });
    expect(v.summary.clusters).toBe(0);
  });

  it("takes `failed` from the policy's newest rollout, and leaves out rows no recent sweep saw", async () => {
    const deps = await setup();
    const old = new Date(deps.clock.now().getTime() - 60 * 60_000);
    await deps.inventory.upsertMany([
      toInventoryRecord(cluster('gone'), old),
      toInventoryRecord(cluster('x', { extensions: [osm('1.0.0')] }), deps.clock.now()),
      toInventoryRecord(cluster('y', { extensions: [osm('1.0.0')] }), deps.clock.now()),
    ]);
    const at = (min: number) => `2026-11-25T09:${String(min).padStart(2, '0')}:00.000Z`;
    for (const [id, min, state] of [
      ['r-old', 10, 'Failed'],
      ['r-new', 20, 'Succeeded'],
    ] as const) {
      const r = rolloutRecord(id);
      await deps.rollouts.create({ ...r, rollout: { ...r.rollout, createdAt: at(min) } }, [
        { ...clusterRow(id, 'x', state), reason: `${id}Reason` },
        clusterRow(id, 'y', id === 'r-old' ? 'Failed' : 'Succeeded'),
      ]);
    }
    const v = await policyCompliance(deps, 'prod');
    expect(v.lastRollout?.id).toBe('r-new');
    expect(v.summary.clusters).toBe(2); // not `gone`
    expect(v.summary.counts).toMatchObject({ behind: 2, failed: 0 }); // r-old's failures are not the last word
    expect(v.clusters.items.map((c) => c.name)).toEqual(['x', 'y']);
  });
});

import { describe, expect, it } from 'vitest';
import {
  releaseClusterLease,
  renewClusterLease,
  takeClusterLease,
} from '../../shared/services/clusterLease.js';
import { cluster } from '../domain/fixtures.js';
import { seed } from '../fakes/clusterRows.js';
import { fakeDeps } from '../fakes/fakeDeps.js';

const c1 = cluster('c1');
const ID = c1.id.toLowerCase();
const inv = (lease?: { holder: string; until: string }) => ({
  cluster: c1,
  discoveredAt: '2026-11-25T00:00:00Z',
  monitorInstalled: false,
  ...(lease ? { lease } : {}),
});

describe('clusterLease', () => {
  it('takes a free lease for leaseMs, re-takes (extends) its own, refuses another live holder', async () => {
    const deps = fakeDeps({ leaseMs: 60_000 });
    await deps.inventory.upsertMany([inv()]);
    expect(await takeClusterLease(deps, c1, 'r1')).toEqual({
      taken: true,
      until: '2026-11-25T10:01:00.000Z',
    });
    deps.clock.advance(10_000);
    expect(await takeClusterLease(deps, c1, 'r1')).toEqual({
      taken: true,
      until: '2026-11-25T10:01:10.000Z',
    });
    expect(await takeClusterLease(deps, c1, 'r2')).toEqual({
      taken: false,
      holder: 'r1',
      until: '2026-11-25T10:01:10.000Z',
    });
  });

  it("a live lease holds only while its holder's row is Pending or InProgress (or the holder has no row yet)", async () => {
    const deps = fakeDeps({ leaseMs: 600_000 });
    await seed(deps, c1, { state: 'Pending' }); // rollout r1's row for c1 (an event onboarding, not dispatched)
    expect(await takeClusterLease(deps, c1, 'r1')).toMatchObject({ taken: true });
    expect(await takeClusterLease(deps, c1, 'r2')).toMatchObject({ taken: false, holder: 'r1' });
    const setState = async (state: 'InProgress' | 'Succeeded') => {
      const row = (await deps.rollouts.getCluster('r1', ID))!;
      await deps.rollouts.updateCluster({ ...row.value, state }, row.etag);
    };
    await setState('InProgress');
    expect(await takeClusterLease(deps, c1, 'r2')).toMatchObject({ taken: false, holder: 'r1' });

    await setState('Succeeded');
    // Not released and not expired, but its holder's work on the cluster is over: free.
    expect(await takeClusterLease(deps, c1, 'r2')).toMatchObject({ taken: true });
    expect((await deps.inventory.get(ID))!.value.lease!.holder).toBe('r2');
    // r2 has no row (an Event Grid onboarding takes the lease before its rollout exists): it holds.
    expect(await takeClusterLease(deps, c1, 'r3')).toMatchObject({ taken: false, holder: 'r2' });
  });

  it('takes over an expired lease', async () => {
    const deps = fakeDeps();
    await deps.inventory.upsertMany([inv({ holder: 'r0', until: '2026-11-25T09:59:59Z' })]);
    expect(await takeClusterLease(deps, c1, 'r1')).toMatchObject({ taken: true });
    expect((await deps.inventory.get(ID))!.value.lease!.holder).toBe('r1');
    expect(deps.log.lines.some((l) => l.phrase === 'Expired cluster lease taken over')).toBe(true);
  });

  it('creates the inventory row of a cluster discovery has not swept yet', async () => {
    const deps = fakeDeps();
    expect(await takeClusterLease(deps, c1, 'r1')).toMatchObject({ taken: true });
    expect((await deps.inventory.get(ID))!.value).toMatchObject({
      cluster: { id: c1.id },
      lease: { holder: 'r1' },
    });
  });

  it('two holders racing on one row: exactly one gets it', async () => {
    const deps = fakeDeps();
    await deps.inventory.upsertMany([inv()]);
    const results = await Promise.all(['r1', 'r2', 'r3'].map((h) => takeClusterLease(deps, c1, h)));
    expect(results.filter((r) => r.taken)).toHaveLength(1);
  });

  it('release clears only its own lease', async () => {
    const deps = fakeDeps();
    await deps.inventory.upsertMany([inv({ holder: 'r0', until: '2026-11-25T11:00:00Z' })]);
    await releaseClusterLease(deps, ID, 'r1');
    expect((await deps.inventory.get(ID))!.value.lease!.holder).toBe('r0');
    await releaseClusterLease(deps, ID, 'r0');
    expect((await deps.inventory.get(ID))!.value.lease).toBeUndefined();
    await releaseClusterLease(deps, 'missing', 'r0');
  });

  it('renew extends once less than half is left, and never steals a live lease', async () => {
    const deps = fakeDeps({ leaseMs: 60_000 });
    await deps.inventory.upsertMany([inv()]);
    await takeClusterLease(deps, c1, 'r1');
    const writes = deps.inventory.table.writes;
    deps.clock.advance(20_000);
    await renewClusterLease(deps, ID, 'r1');
    expect(deps.inventory.table.writes).toBe(writes);
    deps.clock.advance(20_000);
    await renewClusterLease(deps, ID, 'r1');
    expect((await deps.inventory.get(ID))!.value.lease!.until).toBe('2026-11-25T10:01:40.000Z');
    await renewClusterLease(deps, ID, 'r2');
    expect((await deps.inventory.get(ID))!.value.lease!.holder).toBe('r1');
  });
});

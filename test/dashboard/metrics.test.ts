/** The dashboard's pure view helpers (dashboard/src/metrics.ts and router.ts). */
import { describe, expect, it } from 'vitest';
import {
  barLengths,
  clusterPath,
  commandsFor,
  countBy,
  failureRate,
  filterClusters,
  fullCounts,
  isMoving,
  reached,
  segments,
  settled,
} from '../../dashboard/src/metrics.js';
import { clustersHref, complianceHref, parseRoute } from '../../dashboard/src/router.js';
import type { Cluster, ClusterCounts } from '../../dashboard/src/types.js';

const counts = (c: Partial<ClusterCounts>): ClusterCounts => ({
  pending: 0,
  inProgress: 0,
  awaitingApproval: 0,
  succeeded: 0,
  failed: 0,
  skipped: 0,
  deferred: 0,
  cancelled: 0,
  ...c,
});

describe('dashboard metrics', () => {
  it('segments are shares of the wave in drawing order, summing to 100', () => {
    const s = segments(counts({ succeeded: 2, pending: 5, failed: 1, inProgress: 2 }));
    expect(s.map((x) => x.key)).toEqual(['succeeded', 'failed', 'inProgress', 'pending']);
    expect(s.map((x) => x.percent)).toEqual([20, 10, 20, 50]);
    expect(segments(counts({}))).toEqual([]);
    expect(settled(counts({ succeeded: 2, failed: 1, skipped: 3, cancelled: 1, pending: 9 }))).toBe(7);
  });

  it('failure rate follows the engine: failed of dispatched, halting strictly above the threshold', () => {
    expect(failureRate(counts({ failed: 2, succeeded: 38 }), 5)).toEqual({
      failed: 2,
      dispatched: 40,
      percent: 5,
      breached: false,
    });
    expect(failureRate(counts({ failed: 3, succeeded: 37 }), 5)).toMatchObject({
      percent: 7.5,
      breached: true,
    });
    expect(failureRate(counts({ failed: 1, inProgress: 2, pending: 100 }), 0)).toMatchObject({
      dispatched: 3,
      percent: 33.3,
      breached: true,
    });
    expect(failureRate(counts({ pending: 5 }), 5)).toMatchObject({ percent: 0, breached: false });
    expect(failureRate(counts({ failed: 5, succeeded: 5 }))).toMatchObject({ breached: false }); // no threshold
  });

  it('offers the commands the rollout state allows', () => {
    expect(commandsFor({ state: 'Running', counts: counts({}) })).toEqual(['pause', 'cancel']);
    expect(commandsFor({ state: 'Paused', counts: counts({ awaitingApproval: 1 }) })).toEqual([
      'resume',
      'cancel',
      'approve',
    ]);
    expect(commandsFor({ state: 'Halted', counts: counts({ failed: 2 }) })).toEqual([
      'resume',
      'cancel',
      'retry-failed',
    ]);
    expect(commandsFor({ state: 'Failed', counts: counts({ failed: 2 }) })).toEqual(['retry-failed']);
    expect(commandsFor({ state: 'Succeeded', counts: counts({ awaitingApproval: 1 }) })).toEqual([]);
  });

  it('groups and scales chart data', () => {
    expect(countBy(['b', 'a', 'b', 'c', 'a', 'b'], (x) => x)).toEqual([
      ['b', 3],
      ['a', 2],
      ['c', 1],
    ]);
    expect(barLengths([3, 6, 0], 300)).toEqual([150, 300, 0]);
    expect(barLengths([], 300)).toEqual([]);
    expect(barLengths([0, 0], 300)).toEqual([0, 0]);
  });

  it('turns ARM ids (any casing) into cluster paths and routes', () => {
    const id =
      '/subscriptions/1111/resourcegroups/rg-a/providers/microsoft.kubernetes/connectedclusters/shop-1';
    expect(clusterPath(id)).toBe('1111/rg-a/shop-1');
    expect(clusterPath(id.toUpperCase())).toBe('1111/RG-A/SHOP-1');
    expect(clusterPath('/subscriptions/x')).toBeUndefined();
    expect(parseRoute('#/clusters/1111/rg-a/shop-1')).toEqual({ view: 'cluster', path: '1111/rg-a/shop-1' });
    expect(parseRoute('#/rollouts/r%2F1')).toEqual({ view: 'rollout', id: 'r/1' });
    expect(parseRoute('')).toEqual({ view: 'fleet' });
    expect(parseRoute('#/nonsense/%E0')).toEqual({ view: 'fleet' });
  });

  it('done counts the clusters that reached the target; skipped and cancelled are not done', () => {
    const c = counts({ succeeded: 3, skipped: 2, cancelled: 1, failed: 1, pending: 3 });
    expect(reached(c)).toBe(3);
    expect(settled(c)).toBe(7);
  });

  it('tolerates a rollout state it does not know, and counts that are missing', () => {
    expect(isMoving('Planning')).toBe(true);
    expect(isMoving('Running')).toBe(true);
    expect(isMoving('Succeeded')).toBe(false);
    expect(isMoving('Cancelled')).toBe(false);
    expect(fullCounts(undefined)).toEqual(counts({}));
    expect(fullCounts({ succeeded: 2 } as Partial<ClusterCounts>)).toEqual(counts({ succeeded: 2 }));
  });

  describe('the clusters page filter', () => {
    const c = (name: string, over: Partial<Cluster> = {}): Cluster => ({
      id: `/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Kubernetes/connectedClusters/${name}`,
      name,
      subscriptionId: 's1',
      resourceGroup: 'rg',
      location: 'eastus',
      distribution: 'aks',
      connectivity: 'Connected',
      tags: {},
      osm: { name: 'osm', version: '1.2.6', provisioningState: 'Succeeded' },
      policies: ['prod'],
      discoveredAt: '2026-12-03T09:00:00Z',
      ...over,
    });
    const fleet = [
      c('web-b'),
      c('web-a', { osm: null }),
      c('db-1', { connectivity: 'Offline', subscriptionId: 's2', policies: [] }),
      c('web-gone', { removedAt: '2026-12-03T08:00:00Z' }),
      c('web-broken', { osm: { name: 'osm', version: '1.2.6', provisioningState: 'Failed' } }),
    ];
    const names = (f: Parameters<typeof filterClusters>[1]) => filterClusters(fleet, f).map((x) => x.name);
    it.each([
      [{}, ['db-1', 'web-a', 'web-b', 'web-broken', 'web-gone']],
      [{ q: 'WEB-' }, ['web-a', 'web-b', 'web-broken', 'web-gone']],
      [{ version: 'none' }, ['web-a']],
      [{ version: '1.2.6', state: 'Failed' }, ['web-broken']],
      [{ connectivity: 'offline' }, ['db-1']],
      [{ connectivity: 'Removed' }, ['web-gone']],
      [{ subscription: 's2' }, ['db-1']],
      [{ policy: 'prod', q: 'a' }, ['web-a']],
      [{ policy: 'prod', connectivity: 'Offline' }, []],
    ] as const)('%j', (filter, expected) => expect(names(filter)).toEqual(expected));
  });

  it('routes the clusters page with its filters, the policies page and the compliance drill-down', () => {
    const r = parseRoute(clustersHref({ version: '1.2.6', q: 'web', connectivity: undefined }));
    expect(r.view).toBe('clusters');
    expect(r.view === 'clusters' && Object.fromEntries(r.filter)).toEqual({ version: '1.2.6', q: 'web' });
    expect(parseRoute('#/clusters')).toMatchObject({ view: 'clusters' });
    expect(parseRoute('#/policies')).toEqual({ view: 'policies' });
    expect(parseRoute(complianceHref('prod', 'drifted'))).toEqual({
      view: 'compliance',
      policy: 'prod',
      status: 'drifted',
    });
    expect(parseRoute(complianceHref('prod'))).toEqual({ view: 'compliance', policy: 'prod', status: '' });
  });
});

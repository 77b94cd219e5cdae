import { describe, expect, it } from 'vitest';
import { isExcluded, matchesTarget } from '../../shared/domain/matchesTarget.js';
import { planPolicy } from '../../shared/domain/planner.js';
import { defaultOsmCatalog } from '../../shared/domain/osmCatalog.js';
import { parsePolicy } from '../../shared/domain/policy.js';
import type { Policy } from '../../shared/domain/policy.js';
import { SUB_A, SUB_B, cluster } from './fixtures.js';

type Target = Policy['target'];
const c = cluster('shop-eu-1', {
  location: 'West Europe',
  distribution: 'OpenShift',
  tags: { Env: 'prod', team: 'payments' },
  resourceGroup: 'RG-Shop',
});

describe('matchesTarget', () => {
  const cases: [string, Target, boolean][] = [
    ['empty target takes everything', {}, true],
    ['subscription, other case', { subscriptions: [SUB_A.toUpperCase()] }, true],
    ['other subscription', { subscriptions: [SUB_B] }, false],
    ['one of several subscriptions (OR)', { subscriptions: [SUB_B, SUB_A] }, true],
    ['resource group case-insensitive', { resourceGroups: ['rg-shop'] }, true],
    ['resource group absent', { resourceGroups: ['rg-other'] }, false],
    ['distribution case-insensitive', { distributions: ['openshift'] }, true],
    ['distribution absent', { distributions: ['eks', 'gke'] }, false],
    ['location display name vs short name', { locations: ['westeurope'] }, true],
    ['location absent', { locations: ['eastus'] }, false],
    ['name glob', { clusterNames: ['shop-*'] }, true],
    ['name glob case-insensitive', { clusterNames: ['SHOP-EU-?'] }, true],
    ['name glob must match whole name', { clusterNames: ['shop'] }, false],
    ['glob dot is literal', { clusterNames: ['shop.eu-1'] }, false],
    ['tag key case-insensitive', { tags: { env: 'prod' } }, true],
    ['tag value case-sensitive', { tags: { env: 'Prod' } }, false],
    ['all tags must match (AND)', { tags: { env: 'prod', team: 'search' } }, false],
    ['missing tag', { tags: { owner: 'x' } }, false],
    ['fields are AND-ed', { subscriptions: [SUB_A], distributions: ['eks'] }, false],
    [
      'fields are AND-ed (all hold)',
      { subscriptions: [SUB_A], distributions: ['OPENSHIFT'], clusterNames: ['*-1'] },
      true,
    ],
  ];
  it.each(cases)('%s', (_what, target, expected) => {
    expect(matchesTarget(target, c)).toBe(expected);
  });

  it('exclude compares full IDs case-insensitively', () => {
    expect(isExcluded({ exclude: [c.id.toLowerCase()] }, c)).toBe(true);
    expect(isExcluded({ exclude: [cluster('other').id] }, c)).toBe(false);
    expect(isExcluded({}, c)).toBe(false);
  });

  it('treats regular-expression characters in globs as literals', () => {
    expect(matchesTarget({ clusterNames: ['a+b'] }, cluster('a+b'))).toBe(true);
    expect(matchesTarget({ clusterNames: ['a+b'] }, cluster('aab'))).toBe(false);
  });

  it('answers a backtracking-bait glob at once (a regular expression took 17 s on this name)', () => {
    const target = { clusterNames: ['*?*?*?*?*?*?*?*?*?*?*?Z'] };
    expect(matchesTarget(target, cluster('a'.repeat(41)))).toBe(false);
    expect(matchesTarget(target, cluster(`${'a'.repeat(40)}z`))).toBe(true);
  });
});

describe('target.exclude (issue 14, item 13)', () => {
  /** An exclude list that counts how often its entries are read. */
  function countingList(ids: string[]): { list: string[]; reads: () => number } {
    let reads = 0;
    const list = new Proxy(ids, {
      get(target, key, receiver) {
        if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
        return Reflect.get(target, key, receiver) as unknown;
      },
    });
    return { list, reads: () => reads };
  }

  const fleet = Array.from({ length: 300 }, (_, i) => cluster(`c-${i}`));
  const excluded = fleet.filter((_, i) => i % 3 === 0);

  it('excludes the listed clusters, whatever the casing of the ids', () => {
    const ids = excluded.map((c, i) => (i % 2 ? c.id.toUpperCase() : c.id.toLowerCase()));
    const policy = parsePolicy('p', { osm: { version: '1.2.6' }, target: { exclude: ids } });
    const plan = planPolicy(policy, fleet, { catalog: defaultOsmCatalog, now: new Date(0) });
    const skipped = plan.clusters.filter((c) => c.reason === 'Excluded').map((c) => c.id);
    expect(new Set(skipped)).toEqual(new Set(excluded.map((c) => c.id)));
    expect(plan.summary.skipped.Excluded).toBe(excluded.length);
    expect(plan.summary.install).toBe(fleet.length - excluded.length);
  });

  it('reads the exclude list once per plan, not once per cluster', () => {
    const { list, reads } = countingList(excluded.map((c) => c.id));
    const policy = parsePolicy('p', { osm: { version: '1.2.6' } });
    const withList = { ...policy, target: { exclude: list } };
    const plan = planPolicy(withList, fleet, { catalog: defaultOsmCatalog, now: new Date(0) });
    expect(plan.summary.skipped.Excluded).toBe(excluded.length);
    // Clusters x excludes would be up to 300 x 100 = 30,000 reads; the index reads each entry once.
    expect(reads()).toBeLessThanOrEqual(list.length);
  });
});

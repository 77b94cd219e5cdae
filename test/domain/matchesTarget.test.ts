import { describe, expect, it } from 'vitest';
import { globToRegExp, isExcluded, matchesTarget } from '../../shared/domain/matchesTarget.js';
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

  it('escapes regular-expression characters in globs', () => {
    expect(globToRegExp('a+b').test('a+b')).toBe(true);
    expect(globToRegExp('a+b').test('aab')).toBe(false);
  });
});

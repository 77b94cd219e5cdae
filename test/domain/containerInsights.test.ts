import { describe, expect, it } from 'vitest';
import {
  associationPointsTo,
  dataCollectionRuleId,
  dataCollectionRuleName,
  desiredDataCollectionRule,
  regionKey,
  ruleSendsTo,
  type DataCollectionRule,
} from '../../shared/domain/containerInsights.js';

const SUB = '0b1f6471-1bf0-4dda-aec3-cb9272f09590';
const WS = `/subscriptions/${SUB}/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/ws`;
const workspace = { id: WS, location: 'West Europe', customerId: '7f3c9a52-1d2e-4b8a-9c0f-5e6d7a8b9c01' };
const RULE = `/subscriptions/${SUB}/resourceGroups/rg-edge/providers/Microsoft.Insights/dataCollectionRules/MSCI-westeurope-c1`;
const good = desiredDataCollectionRule(RULE, workspace);

describe('dataCollectionRuleName (MSCI-{workspace region}-{cluster}, at most 64 characters)', () => {
  it.each([
    ['westeurope', 'c1', 'MSCI-westeurope-c1'],
    ['West Europe', 'c1', 'MSCI-westeurope-c1'],
    ['East US 2', 'edge-7', 'MSCI-eastus2-edge-7'],
    ['eastus', 'x'.repeat(63), `MSCI-eastus-${'x'.repeat(52)}`],
  ])('%s, %s -> %s', (region, cluster, name) => {
    expect(dataCollectionRuleName(region, cluster)).toBe(name);
    expect(dataCollectionRuleName(region, cluster).length).toBeLessThanOrEqual(64);
  });

  it('lives in the cluster subscription and resource group', () => {
    expect(
      dataCollectionRuleId({ subscriptionId: SUB, resourceGroup: 'rg-edge', name: 'c1' }, 'West Europe'),
    ).toBe(RULE);
    expect(regionKey(' North Central US ')).toBe('northcentralus');
  });
});

describe('ruleSendsTo', () => {
  const variant = (over: Partial<DataCollectionRule>): DataCollectionRule => ({ ...good, ...over });
  it.each<[string, DataCollectionRule | undefined, string, boolean]>([
    ['the rule osm-fleet writes', good, WS, true],
    ['IDs compared case-insensitively', good, WS.toUpperCase(), true],
    ['no rule', undefined, WS, false],
    ['another workspace', good, WS.replace('/ws', '/other'), false],
    ['no ContainerInsights data source', variant({ extensions: [] }), WS, false],
    ['no data flow', variant({ dataFlows: [] }), WS, false],
    [
      'the flow goes to another destination',
      variant({
        logAnalytics: [...good.logAnalytics, { name: 'elsewhere', workspaceResourceId: `${WS}2` }],
        dataFlows: [{ streams: ['Microsoft-ContainerInsights-Group-Default'], destinations: ['elsewhere'] }],
      }),
      WS,
      false,
    ],
    [
      'the flow lacks the data source stream',
      variant({ dataFlows: [{ streams: ['Microsoft-Syslog'], destinations: ['la-workspace'] }] }),
      WS,
      false,
    ],
  ])('%s -> %s', (_name, rule, ws, sends) => {
    expect(ruleSendsTo(rule, ws)).toBe(sends);
  });

  it('keeps the tags already on the rule; the location is the region key', () => {
    const r = desiredDataCollectionRule(RULE, workspace, { owner: 'team-a' });
    expect(r).toMatchObject({ location: 'westeurope', kind: 'Linux', tags: { owner: 'team-a' } });
  });
});

describe('associationPointsTo', () => {
  it.each([
    [{ id: 'a', dataCollectionRuleId: RULE }, true],
    [{ id: 'a', dataCollectionRuleId: RULE.toLowerCase() }, true],
    [{ id: 'a', dataCollectionRuleId: `${RULE}-2` }, false],
    [{ id: 'a' }, false],
    [undefined, false],
  ])('%o -> %s', (association, points) => {
    expect(associationPointsTo(association, RULE)).toBe(points);
  });
});

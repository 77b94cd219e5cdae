// Microsoft.Insights data collection rules and associations (2022-06-01): the bodies Microsoft's own
// Container insights onboarding sends (azure-cli-extensions ContainerInsights.py) are accepted and answered
// as the vendored spec describes; malformed ones are refused; and GET /_emulator/clusters/{id} says whether
// Container insights data would flow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RG, SUB, startHarness, type Harness } from './harness.js';
import { SpecValidator } from './specSchemas.js';

const V = '?api-version=2022-06-01';
const DCR_SPEC = 'monitor/resource-manager/Microsoft.Insights/stable/2022-06-01/dataCollectionRules_API.json';
const DCRA_SPEC =
  'monitor/resource-manager/Microsoft.Insights/stable/2022-06-01/dataCollectionRuleAssociations_API.json';
const WS = `/subscriptions/${SUB}/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/fleet-logs`;
const OTHER_WS = `/subscriptions/${SUB}/resourceGroups/rg-logs/providers/Microsoft.OperationalInsights/workspaces/other`;
const CI_STREAMS = ['Microsoft-ContainerInsights-Group-Default'];
let h: Harness;

const dcrPath = (name: string) =>
  `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Insights/dataCollectionRules/${name}`;
const dcraPath = (cluster: string, name = 'ContainerInsightsExtension') =>
  `${h.clusterId(cluster)}/providers/Microsoft.Insights/dataCollectionRuleAssociations/${name}`;

/** The DCR body `_ensure_container_insights_dcr_for_monitoring` sends. */
function cliRule(workspace = WS, location = 'eastus') {
  return {
    location,
    tags: {},
    kind: 'Linux',
    properties: {
      dataSources: {
        extensions: [
          {
            name: 'ContainerInsightsExtension',
            streams: CI_STREAMS,
            extensionName: 'ContainerInsights',
            extensionSettings: {},
          },
        ],
      },
      dataFlows: [{ streams: CI_STREAMS, destinations: ['la-workspace'] }],
      destinations: { logAnalytics: [{ workspaceResourceId: workspace, name: 'la-workspace' }] },
    },
  };
}

/** The association body the CLI sends (it carries a `location` the spec does not define). */
const cliAssociation = (ruleId: string) => ({
  location: 'eastus',
  properties: {
    dataCollectionRuleId: ruleId,
    description: 'routes monitoring data to a Log Analytics workspace',
  },
});

async function monitoredCluster(name: string, settings: Record<string, string> = {}) {
  await h.control.seed({
    explicit: [
      {
        subscriptionId: SUB,
        resourceGroup: RG,
        name,
        extensions: [
          {
            name: 'azuremonitor-containers',
            extensionType: 'Microsoft.AzureMonitor.Containers',
            configurationSettings: {
              logAnalyticsWorkspaceResourceID: WS,
              'amalogs.useAADAuth': 'true',
              ...settings,
            },
            protectedSettings: { 'amalogs.secret.wsid': '5e2c9d41-7d1a-4c0b-9a6e-0f3b1c2d4e5f' },
            provisioningState: 'Succeeded',
          },
        ],
      },
    ],
  });
}

beforeAll(async () => {
  h = await startHarness();
  await h.control.seed({ explicit: [{ subscriptionId: SUB, resourceGroup: RG, name: 'plain' }] });
});
afterAll(async () => h.close());

describe('data collection rules', () => {
  it('accepts the CLI body: 200 on create (as recorded) and on update, read-only fields filled, body valid against the spec', async () => {
    const created = await h.raw('PUT', `${dcrPath('MSCI-eastus-c1')}${V}`, cliRule());
    expect(created.status).toBe(200);
    const body = created.body as { properties: Record<string, unknown>; id: string; type: string };
    expect(body).toMatchObject({
      id: dcrPath('MSCI-eastus-c1'),
      type: 'Microsoft.Insights/dataCollectionRules',
    });
    expect(body.properties.immutableId).toMatch(/^dcr-[0-9a-f]{32}$/);
    expect(body.properties.provisioningState).toBe('Succeeded');
    expect(new SpecValidator().validate(DCR_SPEC, 'DataCollectionRuleResource', body)).toEqual([]);
    const again = await h.raw('PUT', `${dcrPath('MSCI-eastus-c1')}${V}`, cliRule());
    expect(again.status).toBe(200);
    expect((again.body as typeof body).properties.immutableId).toBe(body.properties.immutableId);
    const got = await h.raw('GET', `${dcrPath('mscI-EASTUS-c1')}${V}`);
    expect(got.status).toBe(200);
    const inGroup = await h.raw(
      'GET',
      `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Insights/dataCollectionRules${V}`,
    );
    expect((inGroup.body as { value: { name: string }[] }).value.map((r) => r.name)).toContain(
      'MSCI-eastus-c1',
    );
    expect(
      new SpecValidator().validate(DCR_SPEC, 'DataCollectionRuleResourceListResult', inGroup.body),
    ).toEqual([]);
    const inSub = await h.raw(
      'GET',
      `/subscriptions/${SUB}/providers/Microsoft.Insights/dataCollectionRules${V}`,
    );
    expect((inSub.body as { value: unknown[] }).value.length).toBeGreaterThan(0);
  });

  it('refuses what the schema or the service refuses, with InvalidPayload and nothing stored', async () => {
    const noLocation = { ...cliRule(), location: undefined };
    const undeclared = cliRule();
    undeclared.properties.dataFlows = [{ streams: CI_STREAMS, destinations: ['nowhere'] }];
    const badWorkspace = cliRule('/subscriptions/x/not-a-workspace');
    const badType = { ...cliRule(), properties: { dataFlows: 'all' } };
    for (const body of [noLocation, undeclared, badWorkspace, badType]) {
      const r = await h.raw('PUT', `${dcrPath('bad-rule')}${V}`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body).toMatchObject({ error: { code: 'InvalidPayload' } });
    }
    expect((await h.raw('GET', `${dcrPath('bad-rule')}${V}`)).status).toBe(404);
    const moved = await h.raw('PUT', `${dcrPath('MSCI-eastus-c1')}${V}`, cliRule(WS, 'westeurope'));
    expect(moved.status).toBe(400);
    expect(moved.body).toMatchObject({ error: { code: 'InvalidResourceLocation' } });
  });

  it('supports only the vendored api-version and DELETE answers 200, then 204', async () => {
    const wrong = await h.raw('GET', `${dcrPath('MSCI-eastus-c1')}?api-version=2019-11-01-preview`);
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: { code: 'NoRegisteredProviderFound' } });
    await h.raw('PUT', `${dcrPath('to-delete')}${V}`, cliRule());
    expect((await h.raw('DELETE', `${dcrPath('to-delete')}${V}`)).status).toBe(200);
    expect((await h.raw('DELETE', `${dcrPath('to-delete')}${V}`)).status).toBe(204);
  });
});

describe('data collection rule associations on a connected cluster', () => {
  it('accepts the CLI association, lists it by resource and by rule, deletes it', async () => {
    const rule = dcrPath('MSCI-eastus-plain');
    await h.raw('PUT', `${rule}${V}`, cliRule());
    const created = await h.raw('PUT', `${dcraPath('plain')}${V}`, cliAssociation(rule));
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      id: dcraPath('plain'),
      name: 'ContainerInsightsExtension',
      type: 'Microsoft.Insights/dataCollectionRuleAssociations',
      properties: { dataCollectionRuleId: rule, provisioningState: 'Succeeded' },
    });
    expect(
      new SpecValidator().validate(DCRA_SPEC, 'DataCollectionRuleAssociationProxyOnlyResource', created.body),
    ).toEqual([]);
    expect((await h.raw('PUT', `${dcraPath('plain')}${V}`, cliAssociation(rule))).status).toBe(200);
    const byResource = await h.raw(
      'GET',
      `${h.clusterId('plain')}/providers/Microsoft.Insights/dataCollectionRuleAssociations${V}`,
    );
    expect((byResource.body as { value: { name: string }[] }).value.map((a) => a.name)).toEqual([
      'ContainerInsightsExtension',
    ]);
    const byRule = await h.raw('GET', `${rule}/associations${V}`);
    expect((byRule.body as { value: { id: string }[] }).value.map((a) => a.id)).toEqual([dcraPath('plain')]);
    expect((await h.raw('DELETE', `${dcraPath('plain')}${V}`)).status).toBe(200);
    expect((await h.raw('DELETE', `${dcraPath('plain')}${V}`)).status).toBe(204);
    expect((await h.raw('GET', `${dcraPath('plain')}${V}`)).status).toBe(404);
  });

  it('refuses an association without a rule, to a missing rule, or on a missing cluster', async () => {
    const none = await h.raw('PUT', `${dcraPath('plain')}${V}`, { properties: { description: 'x' } });
    expect(none.status).toBe(400);
    const missing = await h.raw('PUT', `${dcraPath('plain')}${V}`, cliAssociation(dcrPath('no-such-rule')));
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ error: { code: 'InvalidPayload' } });
    const noCluster = await h.raw(
      'PUT',
      `${dcraPath('ghost')}${V}`,
      cliAssociation(dcrPath('MSCI-eastus-c1')),
    );
    expect(noCluster.status).toBe(404);
  });
});

describe('whether Container insights data would flow', () => {
  it('flows only with the extension Succeeded and an association to a rule sending to its workspace', async () => {
    await monitoredCluster('mon1');
    const state = () => h.control.getCluster(h.clusterId('mon1')).then((s) => s.monitoring);
    expect(await state()).toMatchObject({ dataFlows: false, reason: expect.stringMatching(/association/) });

    const wrongRule = dcrPath('MSCI-eastus-mon1-other');
    await h.raw('PUT', `${wrongRule}${V}`, cliRule(OTHER_WS));
    await h.raw('PUT', `${dcraPath('mon1')}${V}`, cliAssociation(wrongRule));
    expect(await state()).toMatchObject({ dataFlows: false, reason: expect.stringMatching(/workspace/) });

    const rule = dcrPath('MSCI-eastus-mon1');
    await h.raw('PUT', `${rule}${V}`, cliRule(WS.toLowerCase()));
    await h.raw('PUT', `${dcraPath('mon1')}${V}`, cliAssociation(rule));
    expect(await state()).toMatchObject({
      dataFlows: true,
      auth: 'managedIdentity',
      workspaceResourceId: WS,
      dataCollectionRuleId: rule,
    });

    // An association under another name is not the one the agents look for (harsher reading).
    await h.raw('DELETE', `${dcraPath('mon1')}${V}`);
    await h.raw('PUT', `${dcraPath('mon1', 'my-association')}${V}`, cliAssociation(rule));
    expect((await state()).dataFlows).toBe(false);
  });

  it('shared-key auth needs no rule but the workspace key; a cluster without the extension says so', async () => {
    await monitoredCluster('mon2', { 'amalogs.useAADAuth': 'false' });
    expect((await h.control.getCluster(h.clusterId('mon2'))).monitoring).toMatchObject({
      dataFlows: false,
      auth: 'sharedKey',
    });
    expect((await h.control.getCluster(h.clusterId('plain'))).monitoring).toMatchObject({
      dataFlows: false,
      reason: expect.stringMatching(/no microsoft\.azuremonitor\.containers extension/),
    });
  });

  it('deleting the cluster deletes its associations', async () => {
    await monitoredCluster('mon3');
    const rule = dcrPath('MSCI-eastus-mon3');
    await h.raw('PUT', `${rule}${V}`, cliRule());
    await h.raw('PUT', `${dcraPath('mon3')}${V}`, cliAssociation(rule));
    await h.raw('DELETE', `${h.clusterId('mon3')}?api-version=2024-01-01`);
    const byRule = await h.raw('GET', `${rule}/associations${V}`);
    expect((byRule.body as { value: unknown[] }).value).toEqual([]);
  });
});
